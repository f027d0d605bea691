using VaeSweep.Model.Evaluation;

namespace VaeSweep.Model;

/// <summary>
/// Importance-sampling estimate of log p(x) over the first <see cref="Examples"/> examples of a split:
/// log p(x) ≈ logsumexp_k [log p(x|z_k) + log p(z_k) − log q(z_k|x)] − log K, z_k ~ q(z|x).
/// </summary>
/// <param name="Split">"validation" or "test".</param>
/// <param name="PerExample">The estimate for each example, in split order, so trials evaluated on the
/// same examples can be compared pairwise.</param>
/// <param name="Latent">Active units, KL per dimension, rate and distortion on the same examples; null when the
/// estimate predates them (a result stored before schema 8). The gap log p(x) − ELBO is <see cref="Mean"/> − <see cref="MeanElbo"/>.</param>
public sealed record LogLikelihoodEstimate(
    string Split,
    int ImportanceSamples,
    int Examples,
    double Mean,
    double StandardError,
    double MeanElbo,
    double[] PerExample,
    LatentStatistics? Latent = null)
{
    /// <summary>
    /// The estimate of a density of transformed data carried back to the data as given: log p(x) = log p(t(x)) + log|det ∂t/∂x|
    /// for every example (and so for the mean and the ELBO, and −log p(x|z) in the distortion); the standard error, the
    /// rate and the LL − ELBO gap are unchanged. A zero shift returns this.
    /// </summary>
    public LogLikelihoodEstimate WithLogJacobian(double logJacobian) => logJacobian == 0 ? this : this with
    {
        Mean = Mean + logJacobian,
        MeanElbo = MeanElbo + logJacobian,
        PerExample = Array.ConvertAll(PerExample, v => v + logJacobian),
        Latent = Latent is null ? null : Latent with { Distortion = Latent.Distortion - logJacobian },
    };
}
