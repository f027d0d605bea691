using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace VaeSweep.Model.Kernels;

/// <summary>
/// Register-tiled inner loops: C[mr×nr] (row stride ldc) = (loadC ? C : 0) + Σ_p op(A)[r, p]·b[p·nr + j] over one
/// packed B panel (k-major, nr floats per k). A is read in place: the <c>Rows</c> variants take op(A)[r, p] at
/// a[r·rs + p] (A stored [M,K]: 8 row streams, no packing), the <c>Cols</c> variants at a[p·ks + r] (A stored [K,M],
/// or an edge panel packed k-major with ks = mr). Each output element is one fused multiply-add chain in k order,
/// identical in every variant and tile position, so edge tiles (computed on a scratch tile) round exactly like
/// interior ones — the property that makes results independent of how work is split between threads.
/// </summary>
internal static unsafe class GemmMicroKernels
{
    /// <summary>8×32 tile in 16 zmm accumulators, A rows read in place: per k two B loads, 8 broadcasts, 16 FMAs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Kernel8x32Rows(int kc, float* a, nint rs, nint ks, float* b, float* c, nint ldc, bool loadC)
    {
        Vector512<float> c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51, c60, c61, c70, c71;
        if (loadC)
        {
            c00 = Vector512.Load(c); c01 = Vector512.Load(c + 16);
            c10 = Vector512.Load(c + ldc); c11 = Vector512.Load(c + ldc + 16);
            c20 = Vector512.Load(c + 2 * ldc); c21 = Vector512.Load(c + 2 * ldc + 16);
            c30 = Vector512.Load(c + 3 * ldc); c31 = Vector512.Load(c + 3 * ldc + 16);
            c40 = Vector512.Load(c + 4 * ldc); c41 = Vector512.Load(c + 4 * ldc + 16);
            c50 = Vector512.Load(c + 5 * ldc); c51 = Vector512.Load(c + 5 * ldc + 16);
            c60 = Vector512.Load(c + 6 * ldc); c61 = Vector512.Load(c + 6 * ldc + 16);
            c70 = Vector512.Load(c + 7 * ldc); c71 = Vector512.Load(c + 7 * ldc + 16);
        }
        else
        {
            c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = c40 = c41 = c50 = c51 = c60 = c61 = c70 = c71 = Vector512<float>.Zero;
        }

        float* a0 = a, a1 = a0 + rs, a2 = a1 + rs, a3 = a2 + rs, a4 = a3 + rs, a5 = a4 + rs, a6 = a5 + rs, a7 = a6 + rs;
        for (nint p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + 16);
            var x0 = Vector512.Create(a0[p]); c00 = Vector512.FusedMultiplyAdd(x0, b0, c00); c01 = Vector512.FusedMultiplyAdd(x0, b1, c01);
            var x1 = Vector512.Create(a1[p]); c10 = Vector512.FusedMultiplyAdd(x1, b0, c10); c11 = Vector512.FusedMultiplyAdd(x1, b1, c11);
            var x2 = Vector512.Create(a2[p]); c20 = Vector512.FusedMultiplyAdd(x2, b0, c20); c21 = Vector512.FusedMultiplyAdd(x2, b1, c21);
            var x3 = Vector512.Create(a3[p]); c30 = Vector512.FusedMultiplyAdd(x3, b0, c30); c31 = Vector512.FusedMultiplyAdd(x3, b1, c31);
            var x4 = Vector512.Create(a4[p]); c40 = Vector512.FusedMultiplyAdd(x4, b0, c40); c41 = Vector512.FusedMultiplyAdd(x4, b1, c41);
            var x5 = Vector512.Create(a5[p]); c50 = Vector512.FusedMultiplyAdd(x5, b0, c50); c51 = Vector512.FusedMultiplyAdd(x5, b1, c51);
            var x6 = Vector512.Create(a6[p]); c60 = Vector512.FusedMultiplyAdd(x6, b0, c60); c61 = Vector512.FusedMultiplyAdd(x6, b1, c61);
            var x7 = Vector512.Create(a7[p]); c70 = Vector512.FusedMultiplyAdd(x7, b0, c70); c71 = Vector512.FusedMultiplyAdd(x7, b1, c71);
            b += 32;
        }

        Vector512.Store(c00, c); Vector512.Store(c01, c + 16);
        Vector512.Store(c10, c + ldc); Vector512.Store(c11, c + ldc + 16);
        Vector512.Store(c20, c + 2 * ldc); Vector512.Store(c21, c + 2 * ldc + 16);
        Vector512.Store(c30, c + 3 * ldc); Vector512.Store(c31, c + 3 * ldc + 16);
        Vector512.Store(c40, c + 4 * ldc); Vector512.Store(c41, c + 4 * ldc + 16);
        Vector512.Store(c50, c + 5 * ldc); Vector512.Store(c51, c + 5 * ldc + 16);
        Vector512.Store(c60, c + 6 * ldc); Vector512.Store(c61, c + 6 * ldc + 16);
        Vector512.Store(c70, c + 7 * ldc); Vector512.Store(c71, c + 7 * ldc + 16);
    }

    /// <summary>8×32 tile, A k-major (transposed operand or packed edge panel).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Kernel8x32Cols(int kc, float* a, nint rs, nint ks, float* b, float* c, nint ldc, bool loadC)
    {
        Vector512<float> c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51, c60, c61, c70, c71;
        if (loadC)
        {
            c00 = Vector512.Load(c); c01 = Vector512.Load(c + 16);
            c10 = Vector512.Load(c + ldc); c11 = Vector512.Load(c + ldc + 16);
            c20 = Vector512.Load(c + 2 * ldc); c21 = Vector512.Load(c + 2 * ldc + 16);
            c30 = Vector512.Load(c + 3 * ldc); c31 = Vector512.Load(c + 3 * ldc + 16);
            c40 = Vector512.Load(c + 4 * ldc); c41 = Vector512.Load(c + 4 * ldc + 16);
            c50 = Vector512.Load(c + 5 * ldc); c51 = Vector512.Load(c + 5 * ldc + 16);
            c60 = Vector512.Load(c + 6 * ldc); c61 = Vector512.Load(c + 6 * ldc + 16);
            c70 = Vector512.Load(c + 7 * ldc); c71 = Vector512.Load(c + 7 * ldc + 16);
        }
        else
        {
            c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = c40 = c41 = c50 = c51 = c60 = c61 = c70 = c71 = Vector512<float>.Zero;
        }

        for (var p = 0; p < kc; p++, a += ks)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + 16);
            var x0 = Vector512.Create(a[0]); c00 = Vector512.FusedMultiplyAdd(x0, b0, c00); c01 = Vector512.FusedMultiplyAdd(x0, b1, c01);
            var x1 = Vector512.Create(a[1]); c10 = Vector512.FusedMultiplyAdd(x1, b0, c10); c11 = Vector512.FusedMultiplyAdd(x1, b1, c11);
            var x2 = Vector512.Create(a[2]); c20 = Vector512.FusedMultiplyAdd(x2, b0, c20); c21 = Vector512.FusedMultiplyAdd(x2, b1, c21);
            var x3 = Vector512.Create(a[3]); c30 = Vector512.FusedMultiplyAdd(x3, b0, c30); c31 = Vector512.FusedMultiplyAdd(x3, b1, c31);
            var x4 = Vector512.Create(a[4]); c40 = Vector512.FusedMultiplyAdd(x4, b0, c40); c41 = Vector512.FusedMultiplyAdd(x4, b1, c41);
            var x5 = Vector512.Create(a[5]); c50 = Vector512.FusedMultiplyAdd(x5, b0, c50); c51 = Vector512.FusedMultiplyAdd(x5, b1, c51);
            var x6 = Vector512.Create(a[6]); c60 = Vector512.FusedMultiplyAdd(x6, b0, c60); c61 = Vector512.FusedMultiplyAdd(x6, b1, c61);
            var x7 = Vector512.Create(a[7]); c70 = Vector512.FusedMultiplyAdd(x7, b0, c70); c71 = Vector512.FusedMultiplyAdd(x7, b1, c71);
            b += 32;
        }

        Vector512.Store(c00, c); Vector512.Store(c01, c + 16);
        Vector512.Store(c10, c + ldc); Vector512.Store(c11, c + ldc + 16);
        Vector512.Store(c20, c + 2 * ldc); Vector512.Store(c21, c + 2 * ldc + 16);
        Vector512.Store(c30, c + 3 * ldc); Vector512.Store(c31, c + 3 * ldc + 16);
        Vector512.Store(c40, c + 4 * ldc); Vector512.Store(c41, c + 4 * ldc + 16);
        Vector512.Store(c50, c + 5 * ldc); Vector512.Store(c51, c + 5 * ldc + 16);
        Vector512.Store(c60, c + 6 * ldc); Vector512.Store(c61, c + 6 * ldc + 16);
        Vector512.Store(c70, c + 7 * ldc); Vector512.Store(c71, c + 7 * ldc + 16);
    }

    /// <summary>8×16 tile for a last column panel at most 16 wide, A rows read in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Kernel8x16Rows(int kc, float* a, nint rs, nint ks, float* b, float* c, nint ldc, bool loadC)
    {
        Vector512<float> c00, c10, c20, c30, c40, c50, c60, c70;
        if (loadC)
        {
            c00 = Vector512.Load(c);
            c10 = Vector512.Load(c + ldc);
            c20 = Vector512.Load(c + 2 * ldc);
            c30 = Vector512.Load(c + 3 * ldc);
            c40 = Vector512.Load(c + 4 * ldc);
            c50 = Vector512.Load(c + 5 * ldc);
            c60 = Vector512.Load(c + 6 * ldc);
            c70 = Vector512.Load(c + 7 * ldc);
        }
        else
        {
            c00 = c10 = c20 = c30 = c40 = c50 = c60 = c70 = Vector512<float>.Zero;
        }

        float* a0 = a, a1 = a0 + rs, a2 = a1 + rs, a3 = a2 + rs, a4 = a3 + rs, a5 = a4 + rs, a6 = a5 + rs, a7 = a6 + rs;
        for (nint p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(b);
            var x0 = Vector512.Create(a0[p]); c00 = Vector512.FusedMultiplyAdd(x0, b0, c00);
            var x1 = Vector512.Create(a1[p]); c10 = Vector512.FusedMultiplyAdd(x1, b0, c10);
            var x2 = Vector512.Create(a2[p]); c20 = Vector512.FusedMultiplyAdd(x2, b0, c20);
            var x3 = Vector512.Create(a3[p]); c30 = Vector512.FusedMultiplyAdd(x3, b0, c30);
            var x4 = Vector512.Create(a4[p]); c40 = Vector512.FusedMultiplyAdd(x4, b0, c40);
            var x5 = Vector512.Create(a5[p]); c50 = Vector512.FusedMultiplyAdd(x5, b0, c50);
            var x6 = Vector512.Create(a6[p]); c60 = Vector512.FusedMultiplyAdd(x6, b0, c60);
            var x7 = Vector512.Create(a7[p]); c70 = Vector512.FusedMultiplyAdd(x7, b0, c70);
            b += 16;
        }

        Vector512.Store(c00, c);
        Vector512.Store(c10, c + ldc);
        Vector512.Store(c20, c + 2 * ldc);
        Vector512.Store(c30, c + 3 * ldc);
        Vector512.Store(c40, c + 4 * ldc);
        Vector512.Store(c50, c + 5 * ldc);
        Vector512.Store(c60, c + 6 * ldc);
        Vector512.Store(c70, c + 7 * ldc);
    }

    /// <summary>8×16 tile for a last column panel at most 16 wide, A k-major.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Kernel8x16Cols(int kc, float* a, nint rs, nint ks, float* b, float* c, nint ldc, bool loadC)
    {
        Vector512<float> c00, c10, c20, c30, c40, c50, c60, c70;
        if (loadC)
        {
            c00 = Vector512.Load(c);
            c10 = Vector512.Load(c + ldc);
            c20 = Vector512.Load(c + 2 * ldc);
            c30 = Vector512.Load(c + 3 * ldc);
            c40 = Vector512.Load(c + 4 * ldc);
            c50 = Vector512.Load(c + 5 * ldc);
            c60 = Vector512.Load(c + 6 * ldc);
            c70 = Vector512.Load(c + 7 * ldc);
        }
        else
        {
            c00 = c10 = c20 = c30 = c40 = c50 = c60 = c70 = Vector512<float>.Zero;
        }

        for (var p = 0; p < kc; p++, a += ks)
        {
            var b0 = Vector512.Load(b);
            var x0 = Vector512.Create(a[0]); c00 = Vector512.FusedMultiplyAdd(x0, b0, c00);
            var x1 = Vector512.Create(a[1]); c10 = Vector512.FusedMultiplyAdd(x1, b0, c10);
            var x2 = Vector512.Create(a[2]); c20 = Vector512.FusedMultiplyAdd(x2, b0, c20);
            var x3 = Vector512.Create(a[3]); c30 = Vector512.FusedMultiplyAdd(x3, b0, c30);
            var x4 = Vector512.Create(a[4]); c40 = Vector512.FusedMultiplyAdd(x4, b0, c40);
            var x5 = Vector512.Create(a[5]); c50 = Vector512.FusedMultiplyAdd(x5, b0, c50);
            var x6 = Vector512.Create(a[6]); c60 = Vector512.FusedMultiplyAdd(x6, b0, c60);
            var x7 = Vector512.Create(a[7]); c70 = Vector512.FusedMultiplyAdd(x7, b0, c70);
            b += 16;
        }

        Vector512.Store(c00, c);
        Vector512.Store(c10, c + ldc);
        Vector512.Store(c20, c + 2 * ldc);
        Vector512.Store(c30, c + 3 * ldc);
        Vector512.Store(c40, c + 4 * ldc);
        Vector512.Store(c50, c + 5 * ldc);
        Vector512.Store(c60, c + 6 * ldc);
        Vector512.Store(c70, c + 7 * ldc);
    }

    /// <summary>6×16 tile in 12 ymm accumulators (fits AVX2's 16 registers with B and one broadcast), A rows in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Kernel6x16Rows(int kc, float* a, nint rs, nint ks, float* b, float* c, nint ldc, bool loadC)
    {
        Vector256<float> c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
        if (loadC)
        {
            c00 = Vector256.Load(c); c01 = Vector256.Load(c + 8);
            c10 = Vector256.Load(c + ldc); c11 = Vector256.Load(c + ldc + 8);
            c20 = Vector256.Load(c + 2 * ldc); c21 = Vector256.Load(c + 2 * ldc + 8);
            c30 = Vector256.Load(c + 3 * ldc); c31 = Vector256.Load(c + 3 * ldc + 8);
            c40 = Vector256.Load(c + 4 * ldc); c41 = Vector256.Load(c + 4 * ldc + 8);
            c50 = Vector256.Load(c + 5 * ldc); c51 = Vector256.Load(c + 5 * ldc + 8);
        }
        else
        {
            c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = c40 = c41 = c50 = c51 = Vector256<float>.Zero;
        }

        float* a0 = a, a1 = a0 + rs, a2 = a1 + rs, a3 = a2 + rs, a4 = a3 + rs, a5 = a4 + rs;
        for (nint p = 0; p < kc; p++)
        {
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + 8);
            var x0 = Vector256.Create(a0[p]); c00 = Vector256.FusedMultiplyAdd(x0, b0, c00); c01 = Vector256.FusedMultiplyAdd(x0, b1, c01);
            var x1 = Vector256.Create(a1[p]); c10 = Vector256.FusedMultiplyAdd(x1, b0, c10); c11 = Vector256.FusedMultiplyAdd(x1, b1, c11);
            var x2 = Vector256.Create(a2[p]); c20 = Vector256.FusedMultiplyAdd(x2, b0, c20); c21 = Vector256.FusedMultiplyAdd(x2, b1, c21);
            var x3 = Vector256.Create(a3[p]); c30 = Vector256.FusedMultiplyAdd(x3, b0, c30); c31 = Vector256.FusedMultiplyAdd(x3, b1, c31);
            var x4 = Vector256.Create(a4[p]); c40 = Vector256.FusedMultiplyAdd(x4, b0, c40); c41 = Vector256.FusedMultiplyAdd(x4, b1, c41);
            var x5 = Vector256.Create(a5[p]); c50 = Vector256.FusedMultiplyAdd(x5, b0, c50); c51 = Vector256.FusedMultiplyAdd(x5, b1, c51);
            b += 16;
        }

        Vector256.Store(c00, c); Vector256.Store(c01, c + 8);
        Vector256.Store(c10, c + ldc); Vector256.Store(c11, c + ldc + 8);
        Vector256.Store(c20, c + 2 * ldc); Vector256.Store(c21, c + 2 * ldc + 8);
        Vector256.Store(c30, c + 3 * ldc); Vector256.Store(c31, c + 3 * ldc + 8);
        Vector256.Store(c40, c + 4 * ldc); Vector256.Store(c41, c + 4 * ldc + 8);
        Vector256.Store(c50, c + 5 * ldc); Vector256.Store(c51, c + 5 * ldc + 8);
    }

    /// <summary>6×16 tile in 12 ymm accumulators, A k-major.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Kernel6x16Cols(int kc, float* a, nint rs, nint ks, float* b, float* c, nint ldc, bool loadC)
    {
        Vector256<float> c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
        if (loadC)
        {
            c00 = Vector256.Load(c); c01 = Vector256.Load(c + 8);
            c10 = Vector256.Load(c + ldc); c11 = Vector256.Load(c + ldc + 8);
            c20 = Vector256.Load(c + 2 * ldc); c21 = Vector256.Load(c + 2 * ldc + 8);
            c30 = Vector256.Load(c + 3 * ldc); c31 = Vector256.Load(c + 3 * ldc + 8);
            c40 = Vector256.Load(c + 4 * ldc); c41 = Vector256.Load(c + 4 * ldc + 8);
            c50 = Vector256.Load(c + 5 * ldc); c51 = Vector256.Load(c + 5 * ldc + 8);
        }
        else
        {
            c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = c40 = c41 = c50 = c51 = Vector256<float>.Zero;
        }

        for (var p = 0; p < kc; p++, a += ks)
        {
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + 8);
            var x0 = Vector256.Create(a[0]); c00 = Vector256.FusedMultiplyAdd(x0, b0, c00); c01 = Vector256.FusedMultiplyAdd(x0, b1, c01);
            var x1 = Vector256.Create(a[1]); c10 = Vector256.FusedMultiplyAdd(x1, b0, c10); c11 = Vector256.FusedMultiplyAdd(x1, b1, c11);
            var x2 = Vector256.Create(a[2]); c20 = Vector256.FusedMultiplyAdd(x2, b0, c20); c21 = Vector256.FusedMultiplyAdd(x2, b1, c21);
            var x3 = Vector256.Create(a[3]); c30 = Vector256.FusedMultiplyAdd(x3, b0, c30); c31 = Vector256.FusedMultiplyAdd(x3, b1, c31);
            var x4 = Vector256.Create(a[4]); c40 = Vector256.FusedMultiplyAdd(x4, b0, c40); c41 = Vector256.FusedMultiplyAdd(x4, b1, c41);
            var x5 = Vector256.Create(a[5]); c50 = Vector256.FusedMultiplyAdd(x5, b0, c50); c51 = Vector256.FusedMultiplyAdd(x5, b1, c51);
            b += 16;
        }

        Vector256.Store(c00, c); Vector256.Store(c01, c + 8);
        Vector256.Store(c10, c + ldc); Vector256.Store(c11, c + ldc + 8);
        Vector256.Store(c20, c + 2 * ldc); Vector256.Store(c21, c + 2 * ldc + 8);
        Vector256.Store(c30, c + 3 * ldc); Vector256.Store(c31, c + 3 * ldc + 8);
        Vector256.Store(c40, c + 4 * ldc); Vector256.Store(c41, c + 4 * ldc + 8);
        Vector256.Store(c50, c + 5 * ldc); Vector256.Store(c51, c + 5 * ldc + 8);
    }

    /// <summary>
    /// 4×4 scalar tile for machines without 256-bit FMA; A at a[r·rs + p·ks] serves both layouts. Uses
    /// <see cref="MathF.FusedMultiplyAdd"/> only when the hardware has it (otherwise it is a slow software routine),
    /// so this path's rounding is platform-specific.
    /// </summary>
    public static void Kernel4x4(int kc, float* a, nint rs, nint ks, float* b, float* c, nint ldc, bool loadC)
    {
        var acc = stackalloc float[16];
        for (var r = 0; r < 4; r++)
            for (var j = 0; j < 4; j++)
                acc[r * 4 + j] = loadC ? c[r * ldc + j] : 0f;
        var fma = System.Runtime.Intrinsics.X86.Fma.IsSupported;
        for (var p = 0; p < kc; p++, b += 4)
            for (var r = 0; r < 4; r++)
            {
                var ar = a[r * rs + p * ks];
                for (var j = 0; j < 4; j++)
                    acc[r * 4 + j] = fma ? MathF.FusedMultiplyAdd(ar, b[j], acc[r * 4 + j]) : acc[r * 4 + j] + ar * b[j];
            }
        for (var r = 0; r < 4; r++)
            for (var j = 0; j < 4; j++)
                c[r * ldc + j] = acc[r * 4 + j];
    }
}
