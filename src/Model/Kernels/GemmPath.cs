namespace VaeSweep.Model.Kernels;

/// <summary>
/// Which micro-kernel family <see cref="Gemm"/> runs. <see cref="Auto"/> picks the widest the hardware supports;
/// the others exist so tests can exercise every path on one machine (a path the hardware lacks falls back to the
/// next narrower one).
/// </summary>
internal enum GemmPath
{
    Auto,
    /// <summary>8×32 tiles of Vector512 FMAs (AVX-512F).</summary>
    Vector512,
    /// <summary>6×16 tiles of Vector256 FMAs (AVX2 + FMA).</summary>
    Vector256,
    /// <summary>4×4 scalar tiles.</summary>
    Scalar,
}
