using VaeSweep.Model.Checkpoints;
using VaeSweep.Model.Data;

namespace VaeSweep.Model.Torch;

/// <summary>
/// A trial on the torch engine: <see cref="EngineTrainer"/>'s loop and estimator (the same model, objective, Adam,
/// data split, batches, metrics, estimator, divergence and cancellation rules as the native engine) over
/// <see cref="TorchEngine"/>, with libtorch doing the tensor arithmetic. Dispose it to free the tensors.
/// </summary>
/// <remarks>
/// All randomness is the shared trainer's: its training stream initialises the weights in the native engine's order, so
/// an mlp starts from the native weights bit for bit. libtorch's own generator is never used, so nothing depends on its
/// global state. With a fixed thread count (<see cref="TorchRuntime"/>), the same config gives the same bits on the
/// same machine.
/// </remarks>
public sealed class TorchTrainer : EngineTrainer
{
    private TorchTrainer(TrialConfig config, DataSplits data, EngineOptions options)
        : base(config, data, options,
            () => new TorchEngine(config, options, data),
            () => RunFingerprint.DescribeTorch(config, options, data))
    {
    }

    /// <summary>The network, for tests.</summary>
    internal TorchNetwork Network => ((TorchEngine)Engine).Network;

    /// <exception cref="ArgumentException">The configuration is invalid, a split is empty, or the images do not fit the architecture.</exception>
    /// <exception cref="EngineUnavailableException">libtorch does not load here.</exception>
    public static TorchTrainer Create(TrialConfig config, DataSplits data) => Create(config, data, EngineOptions.Default);

    internal static TorchTrainer Create(TrialConfig config, DataSplits data, EngineOptions options) => new(config, data, options);

    /// <exception cref="CheckpointException">Version, checksum, configuration or engine mismatch.</exception>
    public static TorchTrainer Resume(TrialConfig config, DataSplits data, ReadOnlySpan<byte> checkpoint) =>
        Resume(config, data, checkpoint, EngineOptions.Default);

    internal static TorchTrainer Resume(TrialConfig config, DataSplits data, ReadOnlySpan<byte> checkpoint, EngineOptions options)
    {
        var trainer = new TorchTrainer(config, data, options);
        trainer.Restore(checkpoint);
        return trainer;
    }
}
