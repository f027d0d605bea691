using TorchSharp;

namespace VaeSweep.Model.Torch;

/// <summary>
/// libtorch as a process-wide resource. It loads once per process. TorchSharp 0.107 does not implement
/// use_deterministic_algorithms (it throws "not implemented"), so determinism rests on what the engine uses: CPU dense
/// kernels (matmul, conv, elementwise, sum) that give the same bits at a fixed thread count, and no libtorch
/// randomness at all; TorchTrainerTests check the bits. Its intra-op thread pool is also process-wide, so every torch trainer sets the pool's size to its
/// own <see cref="TrialConfig.Threads"/> before each epoch and each estimate (see <see cref="Use"/>): trials that run side by
/// side in one process with the same threads value (the embedded silo's default is 1 each) therefore keep their bits;
/// trials with different values share whatever was set last, and may lose bit-identity with a run alone.
/// </summary>
internal static class TorchRuntime
{
    // Lazy, not mutable: the one fact "does libtorch load here" computed at most once per process.
    private static readonly Lazy<string?> Load = new(TryLoad, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Null when libtorch loaded, else why not.</summary>
    public static string? LoadError => Load.Value;

    /// <summary>libtorch's version, e.g. "2.10.0" (the runtime's, not TorchSharp's).</summary>
    public static string Version => torch.__version__;

    /// <summary>"torch 2.10.0, threads 1": the numerics stamp of a torch run.</summary>
    public static string Descriptor(int threads) => $"torch {Version}, threads {threads}";

    /// <summary>Ensures libtorch is loaded and sets its pool to <paramref name="threads"/>.</summary>
    /// <exception cref="EngineUnavailableException">libtorch does not load here.</exception>
    public static void Use(int threads)
    {
        if (LoadError is { } error) throw new EngineUnavailableException(error);
        if (torch.get_num_threads() != threads) torch.set_num_threads(threads);
    }

    private static string? TryLoad()
    {
        try
        {
            torch.InitializeDeviceType(DeviceType.CPU);
            using var probe = torch.ones(2, 2).matmul(torch.ones(2, 2));
            return probe.sum().item<float>() == 8f ? null : "libtorch loaded but computed a wrong 2×2 product";
        }
        catch (Exception e)
        {
            var inner = e;
            while (inner.InnerException is not null) inner = inner.InnerException;
            return $"libtorch (TorchSharp {typeof(torch).Assembly.GetName().Version}) does not load: {inner.GetType().Name}: {inner.Message}";
        }
    }
}
