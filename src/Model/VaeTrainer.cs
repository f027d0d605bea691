using VaeSweep.Model.Checkpoints;
using VaeSweep.Model.Data;
using VaeSweep.Model.Engines;

namespace VaeSweep.Model;

/// <summary>
/// A trial on the native engine (managed kernels, <see cref="Vae"/>): <see cref="EngineTrainer"/>'s loop and estimator
/// over <see cref="NativeEngine"/>. Dispose is a no-op here; the buffers are managed arrays.
/// </summary>
public sealed class VaeTrainer : EngineTrainer
{
    private VaeTrainer(TrialConfig config, DataSplits data, EngineOptions options)
        : base(config, data, options,
            () => new NativeEngine(config, options, data.TrainFile.Dimension),
            () => RunFingerprint.Describe(config, options, data))
    {
    }

    /// <summary>The network, for tests that set weights or inspect gradients.</summary>
    internal Vae Model => ((NativeEngine)Engine).Model;

    /// <exception cref="ArgumentException">The configuration is invalid or a split is empty.</exception>
    public static VaeTrainer Create(TrialConfig config, DataSplits data) => Create(config, data, EngineOptions.Default);

    internal static VaeTrainer Create(TrialConfig config, DataSplits data, EngineOptions options) => new(config, data, options);

    /// <summary>Restores the complete training state; continuing gives exactly the run that would have continued.</summary>
    /// <exception cref="CheckpointException">Version, checksum or configuration mismatch.</exception>
    public static VaeTrainer Resume(TrialConfig config, DataSplits data, ReadOnlySpan<byte> checkpoint) =>
        Resume(config, data, checkpoint, EngineOptions.Default);

    internal static VaeTrainer Resume(TrialConfig config, DataSplits data, ReadOnlySpan<byte> checkpoint, EngineOptions options)
    {
        var trainer = new VaeTrainer(config, data, options);
        trainer.Restore(checkpoint);
        return trainer;
    }
}
