namespace VaeSweep.Model;

/// <summary>Result of training one epoch: its metrics, or the divergence that stopped it.</summary>
/// <param name="Metrics">Set when the epoch completed with finite numbers.</param>
/// <param name="Divergence">Set when a NaN or infinity appeared: what and where (e.g. "loss is NaN at step 37").</param>
public sealed record EpochOutcome(EpochMetrics? Metrics, string? Divergence)
{
    public bool Diverged => Divergence is not null;
}
