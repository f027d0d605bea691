using VaeSweep.Model.Data;
using VaeSweep.Model.Torch;

namespace VaeSweep.Model;

/// <summary>Creates or resumes the trainer of a config's <see cref="TrialConfig.Engine"/>.</summary>
public static class TrainerFactory
{
    /// <exception cref="ArgumentException">The configuration is invalid, a split is empty, or the data does not fit the architecture.</exception>
    /// <exception cref="EngineUnavailableException">The engine cannot run in this process (libtorch does not load).</exception>
    public static ITrainer Create(TrialConfig config, DataSplits data) => config.Engine switch
    {
        Engine.Torch => TorchTrainer.Create(config, data),
        _ => VaeTrainer.Create(config, data),
    };

    /// <summary>Restores a checkpoint; a checkpoint resumes only on the engine that wrote it.</summary>
    /// <exception cref="CheckpointException">Version, checksum, configuration or engine mismatch.</exception>
    public static ITrainer Resume(TrialConfig config, DataSplits data, ReadOnlySpan<byte> checkpoint) => config.Engine switch
    {
        Engine.Torch => TorchTrainer.Resume(config, data, checkpoint),
        _ => VaeTrainer.Resume(config, data, checkpoint),
    };

    /// <summary>Why <paramref name="engine"/> cannot train here, or null when it can. Loads libtorch the first time it is asked about torch.</summary>
    public static string? Unavailability(Engine engine) => engine == Engine.Torch ? TorchRuntime.LoadError : null;

    /// <summary>The numerics stamp a trial on <paramref name="engine"/> with <paramref name="threads"/> threads gets here.</summary>
    public static string Descriptor(Engine engine, int threads) =>
        engine == Engine.Torch ? TorchRuntime.Descriptor(threads) : EngineInfo.Descriptor;
}
