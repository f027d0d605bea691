using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace VaeSweep.Model.Kernels;

/// <summary>
/// Copies operand blocks into the layouts the micro-kernels stream through: B as panels of <c>nr</c> columns stored
/// k-major (for each k, nr consecutive values) — <see cref="Gemm"/> packs one panel right before using it — and A,
/// only for a ragged last row panel, as <c>mr</c> rows stored k-major. Rows or columns past the matrix edge are
/// zero-filled, so the micro-kernel always runs full tiles and every output element sees the same arithmetic
/// wherever it sits. Two of the four cases are transposes; with AVX and an 8-wide panel they go through 8×8 register
/// transposes instead of scalar strided copies (scalar transposes cost ~10% of a 128-row GEMM).
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>
    /// Packs rows [i0, i0 + rows) × k-range [p0, p0 + kc) of op(A) into ⌈rows/mr⌉ panels of kc·mr floats.
    /// op(A)[i, p] is <c>a[i·lda + p]</c>, or <c>a[p·lda + i]</c> when <paramref name="trans"/>.
    /// </summary>
    public static void PackA(bool trans, float* a, int lda, int i0, int rows, int p0, int kc, int mr, float* dst)
    {
        for (var ir = 0; ir < rows; ir += mr)
        {
            var r = Math.Min(mr, rows - ir);
            if (trans)
                CopyRows(a + (nint)p0 * lda + i0 + ir, lda, r, kc, mr, dst);
            else
                Transpose(a + (nint)(i0 + ir) * lda + p0, lda, r, kc, mr, dst);
            dst += (nint)kc * mr;
        }
    }

    /// <summary>
    /// Packs k-range [p0, p0 + kc) × columns [j0, j0 + cols) of op(B) into ⌈cols/nr⌉ panels of kc·nr floats.
    /// op(B)[p, j] is <c>b[p·ldb + j]</c>, or <c>b[j·ldb + p]</c> when <paramref name="trans"/>.
    /// A last panel of at most <paramref name="tailNr"/> columns is packed only <paramref name="tailNr"/> wide
    /// (it is last, so the offsets of the others do not move); pass <paramref name="nr"/> to disable that.
    /// </summary>
    public static void PackB(bool trans, float* b, int ldb, int p0, int kc, int j0, int cols, int nr, int tailNr, float* dst)
    {
        for (var jr = 0; jr < cols; jr += nr)
        {
            var c = Math.Min(nr, cols - jr);
            var width = c <= tailNr ? tailNr : nr;
            if (trans)
                Transpose(b + (nint)(j0 + jr) * ldb + p0, ldb, c, kc, width, dst);
            else
                CopyRows(b + (nint)p0 * ldb + j0 + jr, ldb, c, kc, width, dst);
            dst += (nint)kc * width;
        }
    }

    /// <summary>
    /// dst[p·width + q] = src[p·ld + q] for q &lt; count, 0 for count ≤ q &lt; width: the operand is already
    /// k-major, so each k step is one contiguous copy.
    /// </summary>
    private static void CopyRows(float* src, int ld, int count, int kc, int width, float* dst)
    {
        if (count == width && width % 16 == 0 && Vector512.IsHardwareAccelerated)
        {
            for (var p = 0; p < kc; p++, src += ld, dst += width)
                for (var q = 0; q < width; q += 16)
                    Vector512.Store(Vector512.Load(src + q), dst + q);
            return;
        }
        if (count == width && width % 8 == 0 && Vector256.IsHardwareAccelerated)
        {
            for (var p = 0; p < kc; p++, src += ld, dst += width)
                for (var q = 0; q < width; q += 8)
                    Vector256.Store(Vector256.Load(src + q), dst + q);
            return;
        }
        for (var p = 0; p < kc; p++, src += ld, dst += width)
        {
            var q = 0;
            for (; q < count; q++) dst[q] = src[q];
            for (; q < width; q++) dst[q] = 0f;
        }
    }

    /// <summary>
    /// dst[p·width + q] = src[q·ld + p] for q &lt; count, 0 for count ≤ q &lt; width: the operand is stored
    /// with k contiguous, so packing is a transpose of a count×kc block.
    /// </summary>
    private static void Transpose(float* src, int ld, int count, int kc, int width, float* dst)
    {
        var q0 = 0;
        if (Avx.IsSupported && width % 8 == 0)
        {
            // Full groups of 8 rows go through 8×8 register transposes, 8 k-steps at a time.
            for (; q0 + 8 <= count; q0 += 8)
            {
                var s = src + (nint)q0 * ld;
                var d = dst + q0;
                var p = 0;
                for (; p + 8 <= kc; p += 8)
                    Transpose8x8(s + p, ld, d + (nint)p * width, width);
                for (; p < kc; p++)
                    for (var q = 0; q < 8; q++)
                        d[(nint)p * width + q] = s[(nint)q * ld + p];
            }
        }
        for (var p = 0; p < kc; p++)
        {
            var d = dst + (nint)p * width;
            var q = q0;
            for (; q < count; q++) d[q] = src[(nint)q * ld + p];
            for (; q < width; q++) d[q] = 0f;
        }
    }

    /// <summary>Reads 8 rows of 8 floats (row stride <paramref name="ld"/>) and writes them as 8 columns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(float* s, int ld, float* d, int ldd)
    {
        var r0 = Avx.LoadVector256(s);
        var r1 = Avx.LoadVector256(s + ld);
        var r2 = Avx.LoadVector256(s + 2 * (nint)ld);
        var r3 = Avx.LoadVector256(s + 3 * (nint)ld);
        var r4 = Avx.LoadVector256(s + 4 * (nint)ld);
        var r5 = Avx.LoadVector256(s + 5 * (nint)ld);
        var r6 = Avx.LoadVector256(s + 6 * (nint)ld);
        var r7 = Avx.LoadVector256(s + 7 * (nint)ld);

        var t0 = Avx.UnpackLow(r0, r1);
        var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3);
        var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5);
        var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7);
        var t7 = Avx.UnpackHigh(r6, r7);

        var u0 = Avx.Shuffle(t0, t2, 0x44);
        var u1 = Avx.Shuffle(t0, t2, 0xEE);
        var u2 = Avx.Shuffle(t1, t3, 0x44);
        var u3 = Avx.Shuffle(t1, t3, 0xEE);
        var u4 = Avx.Shuffle(t4, t6, 0x44);
        var u5 = Avx.Shuffle(t4, t6, 0xEE);
        var u6 = Avx.Shuffle(t5, t7, 0x44);
        var u7 = Avx.Shuffle(t5, t7, 0xEE);

        Avx.Store(d, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(d + ldd, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(d + 2 * (nint)ldd, Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(d + 3 * (nint)ldd, Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(d + 4 * (nint)ldd, Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(d + 5 * (nint)ldd, Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(d + 6 * (nint)ldd, Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(d + 7 * (nint)ldd, Avx.Permute2x128(u3, u7, 0x31));
    }
}
