using VaeSweep.Model.Data;

namespace VaeSweep.Model;

/// <summary>
/// Trains and measures one configuration: the engine's whole public surface. Not thread-safe; one
/// trainer per trial. Numeric faults never throw: they come back as a diverged <see cref="EpochOutcome"/>.
/// </summary>
public sealed class VaeTrainer
{
    private VaeTrainer() => throw new NotImplementedException();

    public TrialConfig Config => throw new NotImplementedException();

    /// <summary>Epochs trained so far (0 for a new trainer).</summary>
    public int EpochsCompleted => throw new NotImplementedException();

    public static VaeTrainer Create(TrialConfig config, DataSplits data) => throw new NotImplementedException();

    /// <summary>Restores the complete training state; continuing gives exactly the run that would have continued.</summary>
    /// <exception cref="CheckpointException">Version, checksum or configuration mismatch.</exception>
    public static VaeTrainer Resume(TrialConfig config, DataSplits data, ReadOnlySpan<byte> checkpoint) => throw new NotImplementedException();

    /// <summary>Trains one epoch over the training split, then measures the validation ELBO.</summary>
    public EpochOutcome TrainEpoch(CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>Importance-sampling estimate on the first <see cref="TrialConfig.EvalExamples"/> examples of <paramref name="split"/>.</summary>
    public LogLikelihoodEstimate EstimateLogLikelihood(Split split, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>Weights, Adam moments, epoch and RNG state; versioned and checksummed.</summary>
    public byte[] SaveCheckpoint() => throw new NotImplementedException();
}
