using VaeSweep.Model.Kernels;

namespace VaeSweep.Model;

/// <summary>
/// What decides a run's bits besides its configuration: the version of the engine's arithmetic and the SIMD width its
/// kernels run at on this machine (a Vector512 FMA chain and a Vector256 one round differently). Two runs of one
/// configuration agree bit for bit when both match; results are stamped with it so a mismatch can be explained.
/// </summary>
public static class EngineInfo
{
    /// <summary>
    /// Bumped by every change that alters a number a run produces: kernels, summation order, random streams.
    /// 2: fused sigmoid-Gaussian and Bernoulli kernels, per-example ε streams in the held-out estimate.
    /// </summary>
    public const int NumericsVersion = 2;

    /// <summary>For example "numerics 2, avx512".</summary>
    public static string Descriptor { get; } = $"numerics {NumericsVersion}, " + Gemm.AutoPath switch
    {
        GemmPath.Vector512 => "avx512",
        GemmPath.Vector256 => "avx2",
        _ => "scalar",
    };
}
