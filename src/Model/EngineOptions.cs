namespace VaeSweep.Model;

/// <summary>
/// Engine switches that are not part of a trial's public configuration: the clock, and an identity decoder
/// mean that turns the linear Gaussian model into exact probabilistic PCA (the tests' closed-form oracle).
/// </summary>
internal sealed record EngineOptions
{
    public static EngineOptions Default { get; } = new();

    /// <summary>Clock for the wall-time and throughput metrics. Default: the system clock.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>
    /// Gaussian likelihood only: decoder mean = logits instead of sigmoid(logits), so with Identity activation and
    /// no hidden layers the decoder is f(z) = Wz + b and log p(x) has a closed form. Default false.
    /// Part of the checkpoint fingerprint.
    /// </summary>
    public bool LinearGaussianMean { get; init; }
}
