namespace VaeSweep.Model;

/// <summary>
/// One trial's training state, whichever engine holds it (<see cref="TrainerFactory"/> picks). Not thread-safe; one
/// trainer per trial; dispose it to free native tensors (a no-op on the native engine). Numeric faults never throw: they come back as a diverged <see cref="EpochOutcome"/>.
/// </summary>
public interface ITrainer : IDisposable
{
    TrialConfig Config { get; }

    /// <summary>Epochs trained so far (0 for a new trainer).</summary>
    int EpochsCompleted { get; }

    /// <summary>What decides this run's bits besides its config, e.g. "numerics 2, avx512" or "torch 2.10.0, threads 1".</summary>
    string EngineDescriptor { get; }

    /// <summary>Trains one epoch over the training split, then measures the validation ELBO.</summary>
    /// <exception cref="OperationCanceledException">Checked between batches; the trainer is then unusable (resume from a checkpoint).</exception>
    EpochOutcome TrainEpoch(CancellationToken cancellationToken = default);

    /// <summary>Importance-sampling estimate on the first <see cref="TrialConfig.EvalExamples"/> examples of <paramref name="split"/>.</summary>
    LogLikelihoodEstimate EstimateLogLikelihood(Split split, CancellationToken cancellationToken = default);

    /// <summary>The complete training state at an epoch boundary; versioned, checksummed, and tied to the engine.</summary>
    byte[] SaveCheckpoint();
}
