namespace VaeSweep.Model.Layers;

/// <summary>
/// log p(x|z) of one example from its decoder logits, and the gradient of −log p with respect to the logits.
/// Row-at-a-time so evaluation can score many z samples against one x without copying x.
/// </summary>
internal abstract class DecoderLikelihood
{
    protected DecoderLikelihood(int dimension) => Dimension = dimension;

    /// <summary>D, the row length.</summary>
    public int Dimension { get; }

    /// <summary>Row scratch the methods need, in floats.</summary>
    public int ScratchLength => 2 * Dimension;

    public static DecoderLikelihood Create(TrialConfig config, EngineOptions options, int dimension) => config.Likelihood switch
    {
        Likelihood.Gaussian => new GaussianLikelihood(dimension, config.Sigma, options.LinearGaussianMean || config.Output == Output.Identity),
        Likelihood.Bernoulli => new BernoulliLikelihood(dimension),
        _ => throw new ArgumentOutOfRangeException(nameof(config), config.Likelihood, "unknown likelihood"),
    };

    /// <summary>log p(x|z) for logits[D] and x[D].</summary>
    public abstract double LogProbability(ReadOnlySpan<float> logits, ReadOnlySpan<float> x, Span<float> scratch);

    /// <summary>
    /// perRow[r] = log p(x | logits row r) for logits[rows, D] scored against one x[D]: the importance sampler's K
    /// decoded samples of one example. The caller checks that perRow has one entry per row.
    /// </summary>
    public abstract void LogProbabilityPerRow(ReadOnlySpan<float> logits, ReadOnlySpan<float> x, Span<double> perRow);

    /// <summary>Returns log p(x|z) and writes grad[D] = <paramref name="scale"/> · ∂(−log p)/∂logits in the same pass.</summary>
    public abstract double LogProbabilityAndGradient(ReadOnlySpan<float> logits, ReadOnlySpan<float> x, Span<float> grad, float scale, Span<float> scratch);
}
