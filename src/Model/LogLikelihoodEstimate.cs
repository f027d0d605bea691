namespace VaeSweep.Model;

/// <summary>
/// Importance-sampling estimate of log p(x) over the first <see cref="Examples"/> examples of a split:
/// log p(x) ≈ logsumexp_k [log p(x|z_k) + log p(z_k) − log q(z_k|x)] − log K, z_k ~ q(z|x).
/// </summary>
/// <param name="Split">"validation" or "test".</param>
/// <param name="PerExample">The estimate for each example, in split order, so trials evaluated on the
/// same examples can be compared pairwise.</param>
public sealed record LogLikelihoodEstimate(
    string Split,
    int ImportanceSamples,
    int Examples,
    double Mean,
    double StandardError,
    double MeanElbo,
    double[] PerExample)
{
    /// <summary>
    /// The estimate of a density of transformed data carried back to the data as given: log p(x) = log p(t(x)) + log|det ∂t/∂x|
    /// for every example (and so for the mean and the ELBO); the standard error is unchanged. A zero shift returns this.
    /// </summary>
    public LogLikelihoodEstimate WithLogJacobian(double logJacobian) => logJacobian == 0 ? this : this with
    {
        Mean = Mean + logJacobian,
        MeanElbo = MeanElbo + logJacobian,
        PerExample = Array.ConvertAll(PerExample, v => v + logJacobian),
    };
}
