using System.Buffers;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace VaeSweep.Model.Kernels;

/// <summary>
/// Single-precision matrix multiply on row-major spans: C[M×N] = op(A)·op(B), or C += op(A)·op(B).
/// op(A) is M×K: A is stored [M,K], or [K,M] when <c>transA</c>. op(B) is K×N: B is stored
/// [K,N], or [N,K] when transB. The engine's three shapes are forward Y = X·Wᵀ (false, true),
/// input gradient dX = dY·W (false, false) and weight gradient dW = dYᵀ·X (true, false).
/// Work is split over output blocks only (never over K), so results do not depend on the thread count.
/// </summary>
/// <remarks>
/// Goto/BLIS structure: K is cut into blocks of at most <see cref="MaxKc"/>; for each block, op(B) is packed one
/// 32-column k-major panel at a time (kc×32 floats stay in the 48 KB L1 while every 8-row panel of A streams past
/// them) and a register-tiled micro-kernel computes 8×32 tiles with Vector512 FMAs (6×16 with Vector256 on AVX2
/// machines, 4×4 scalar elsewhere). A is read where it lies — 8 row streams when stored [M,K], 8 contiguous floats
/// per k when stored [K,M] — so only a ragged last row panel is copied. Packing whole operands up front cost a
/// fifth of the time of the 128-row products this engine runs (it round-trips megabytes through L2).
/// The K blocking depends on k alone and every output element is the same FMA chain wherever its tile lies,
/// so the result is bit-identical for any thread count and any call.
/// Scratch (one B panel, one A edge panel) comes from <see cref="ArrayPool{T}.Shared"/> per call and per worker:
/// no static mutable state, no per-call garbage, no workspace object the engine must thread through, and two
/// trials in one process never share buffers.
/// </remarks>
internal static unsafe class Gemm
{
    /// <summary>Upper bound of a K block; blocks are evened out (784 → 3 × 262) to avoid a tiny last block.</summary>
    internal const int MaxKc = 320;

    /// <summary>Rows of op(A) per row block (a multiple of every mr). Every B panel streams the whole block past
    /// itself, so the block (≤ 256 × 320 floats = 320 KB) must stay in the 2 MB L2.</summary>
    private const int McTarget = 256;

    /// <summary>
    /// Below this many multiply-adds (~40 µs on one core) a product runs on the calling thread even when threads &gt; 1:
    /// the thread-pool hand-off and the second worker's duplicated packing cost more than half of it saves
    /// (measured: 128×40×400 ran slower on two threads).
    /// </summary>
    internal const long ParallelThreshold = 1L << 22;

    /// <summary>C[M×N] = op(A)·op(B), or C += op(A)·op(B) when <paramref name="accumulate"/>.</summary>
    /// <param name="threads">Workers (<see cref="KernelThreads"/>); 1 never leaves the calling thread. Results do not depend on it.</param>
    public static void Multiply(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, bool accumulate, int threads = 1)
        => Multiply(transA, transB, m, n, k, a, b, c, accumulate, threads, GemmPath.Auto);

    /// <summary>As the public overload, on a chosen kernel path (tests run every path on one machine).</summary>
    internal static void Multiply(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, bool accumulate, int threads, GemmPath path)
    {
        Validate(m, n, k, a.Length, b.Length, c.Length, threads);
        if (m == 0 || n == 0) return;
        if (k == 0)
        {
            if (!accumulate) c[..(m * n)].Clear();
            return;
        }

        fixed (float* pa = a, pb = b, pc = c)
        {
            var job = new Job(Resolve(path), transA, transB, m, n, k, pa, pb, pc, accumulate);
            var parts = (long)m * n * k >= ParallelThreshold ? threads : 1;
            if (parts == 1)
            {
                job.Run(0, m, 0, n);
                return;
            }
            job.RunParallel(parts);
        }
    }

    private static void Validate(int m, int n, int k, int aLength, int bLength, int cLength, int threads)
    {
        if (m < 0 || n < 0 || k < 0)
            throw new ArgumentOutOfRangeException(nameof(m), $"Gemm: dimensions must be non-negative, got m={m}, n={n}, k={k}");
        if (threads < 1)
            throw new ArgumentOutOfRangeException(nameof(threads), $"Gemm: threads must be at least 1, got {threads}");
        if (aLength < (long)m * k)
            throw new ArgumentException($"Gemm: a holds {aLength} floats but op(A) is m×k = {m}×{k}", "a");
        if (bLength < (long)k * n)
            throw new ArgumentException($"Gemm: b holds {bLength} floats but op(B) is k×n = {k}×{n}", "b");
        if (cLength < (long)m * n)
            throw new ArgumentException($"Gemm: c holds {cLength} floats but C is m×n = {m}×{n}", "c");
    }

    /// <summary>The kernel family <see cref="GemmPath.Auto"/> runs on this machine.</summary>
    internal static GemmPath AutoPath => Resolve(GemmPath.Auto);

    private static GemmPath Resolve(GemmPath path)
    {
        var v512 = Vector512.IsHardwareAccelerated && Avx512F.IsSupported;
        var v256 = Vector256.IsHardwareAccelerated && Avx2.IsSupported && Fma.IsSupported;
        return path switch
        {
            GemmPath.Auto or GemmPath.Vector512 when v512 => GemmPath.Vector512,
            GemmPath.Auto or GemmPath.Vector512 or GemmPath.Vector256 when v256 => GemmPath.Vector256,
            _ => GemmPath.Scalar,
        };
    }

    /// <summary>One product's operands and tiling; pointers stay valid because the caller holds them pinned.</summary>
    private readonly struct Job
    {
        private readonly bool _transA, _transB, _accumulate;
        private readonly int _m, _n, _k, _lda, _ldb;
        private readonly float* _a, _b, _c;
        private readonly int _mr, _nr, _tailNr, _kc;

        // Full-width and narrow-tail kernels reading A in place (rows or k-major), and the k-major pair that
        // also serves packed edge panels.
        private readonly delegate*<int, float*, nint, nint, float*, float*, nint, bool, void> _direct, _directTail, _packed, _packedTail;

        public Job(GemmPath path, bool transA, bool transB, int m, int n, int k, float* a, float* b, float* c, bool accumulate)
        {
            (_transA, _transB, _m, _n, _k, _accumulate) = (transA, transB, m, n, k, accumulate);
            _a = a;
            _b = b;
            _c = c;
            _lda = transA ? m : k;
            _ldb = transB ? k : n;
            switch (path)
            {
                case GemmPath.Vector512:
                    (_mr, _nr, _tailNr) = (8, 32, 16);
                    _packed = &GemmMicroKernels.Kernel8x32Cols;
                    _packedTail = &GemmMicroKernels.Kernel8x16Cols;
                    _direct = transA ? _packed : &GemmMicroKernels.Kernel8x32Rows;
                    _directTail = transA ? _packedTail : &GemmMicroKernels.Kernel8x16Rows;
                    break;
                case GemmPath.Vector256:
                    (_mr, _nr, _tailNr) = (6, 16, 16);
                    _packed = _packedTail = &GemmMicroKernels.Kernel6x16Cols;
                    _direct = _directTail = transA ? _packed : &GemmMicroKernels.Kernel6x16Rows;
                    break;
                default:
                    (_mr, _nr, _tailNr) = (4, 4, 4);
                    _direct = _directTail = _packed = _packedTail = &GemmMicroKernels.Kernel4x4;
                    break;
            }
            var blocks = (k + MaxKc - 1) / MaxKc;
            _kc = (k + blocks - 1) / blocks;
        }

        /// <summary>
        /// Splits C into <paramref name="parts"/> column ranges (or row ranges when too narrow), cut at multiples of
        /// 16 columns / mr rows so no part computes a wider tail panel than the single-threaded run would.
        /// </summary>
        public void RunParallel(int parts)
        {
            var job = this;
            var columnUnits = (_n + 15) / 16;
            var rowUnits = (_m + _mr - 1) / _mr;
            var byColumns = columnUnits >= 2 * parts || columnUnits >= rowUnits;
            var units = byColumns ? columnUnits : rowUnits;
            parts = Math.Min(parts, units);
            if (parts == 1)
            {
                Run(0, _m, 0, _n);
                return;
            }
            var unit = byColumns ? 16 : _mr;
            KernelThreads.Shared.Run(parts, part =>
            {
                var lo = (int)Math.Min((long)units * part / parts * unit, byColumns ? job._n : job._m);
                var hi = (int)Math.Min((long)units * (part + 1) / parts * unit, byColumns ? job._n : job._m);
                if (byColumns) job.Run(0, job._m, lo, hi);
                else job.Run(lo, hi, 0, job._n);
            });
        }

        /// <summary>
        /// Computes the block C[i0..i1, j0..j1) completely. Loop order K block → row block → 32-column panel →
        /// 8-row panel: each B panel is packed (kc×32 floats, ≤ 40 KB) right before the row panels that use it, so
        /// it is written and re-read in L1; A is read where it lies (its row block stays in L2 across panels) and
        /// only a ragged last row panel is copied, zero-padded, into a k-major scratch panel.
        /// </summary>
        public void Run(int i0, int i1, int j0, int j1)
        {
            var mc = Math.Min(McTarget / _mr * _mr, RoundUp(i1 - i0, _mr));
            const int align = 16; // floats: 64 bytes, one cache line and one zmm
            var panelSize = RoundUp(_kc * _nr, align);
            var scratch = ArrayPool<float>.Shared.Rent(panelSize + _kc * _mr + align);
            var tile = stackalloc float[_mr * _nr];
            try
            {
                fixed (float* raw = scratch)
                {
                    var bPanel = (float*)(((nint)raw + 63) & ~(nint)63);
                    var aEdge = bPanel + panelSize;
                    // op(A)[i, p] sits at a[i·rs + p·ks].
                    nint rs = _transA ? 1 : _lda, ks = _transA ? _lda : 1;
                    for (var p0 = 0; p0 < _k; p0 += _kc)
                    {
                        var kcb = Math.Min(_kc, _k - p0);
                        var loadC = _accumulate || p0 > 0;
                        for (var ic = i0; ic < i1; ic += mc)
                        {
                            var mcb = Math.Min(mc, i1 - ic);
                            var full = mcb / _mr * _mr;
                            var edgeRows = mcb - full;
                            if (edgeRows > 0) GemmPacking.PackA(_transA, _a, _lda, ic + full, edgeRows, p0, kcb, _mr, aEdge);
                            for (var jr = j0; jr < j1; jr += _nr)
                            {
                                var cols = Math.Min(_nr, j1 - jr);
                                var narrow = cols <= _tailNr;
                                var width = narrow ? _tailNr : _nr;
                                GemmPacking.PackB(_transB, _b, _ldb, p0, kcb, jr, cols, _nr, _tailNr, bPanel);
                                var direct = narrow ? _directTail : _direct;
                                for (var ir = 0; ir < full; ir += _mr)
                                {
                                    var i = ic + ir;
                                    Tile(direct, kcb, _a + i * rs + p0 * ks, rs, ks, bPanel, i, _mr, jr, cols, width, loadC, tile);
                                }
                                if (edgeRows > 0)
                                    Tile(narrow ? _packedTail : _packed, kcb, aEdge, 1, _mr, bPanel, ic + full, edgeRows, jr, cols, width, loadC, tile);
                            }
                        }
                    }
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(scratch);
            }
        }

        /// <summary>One micro-tile at C[i.., j..]; ragged tiles run the same kernel on a scratch tile, so they round
        /// exactly like full ones.</summary>
        private void Tile(delegate*<int, float*, nint, nint, float*, float*, nint, bool, void> kernel, int kcb,
            float* a, nint rs, nint ks, float* bPanel, int i, int rows, int j, int cols, int width, bool loadC, float* tile)
        {
            var cTile = _c + (nint)i * _n + j;
            if (rows == _mr && cols == width)
            {
                kernel(kcb, a, rs, ks, bPanel, cTile, _n, loadC);
                return;
            }
            if (loadC)
                for (var r = 0; r < rows; r++)
                    new ReadOnlySpan<float>(cTile + (nint)r * _n, cols).CopyTo(new Span<float>(tile + r * width, cols));
            kernel(kcb, a, rs, ks, bPanel, tile, width, loadC);
            for (var r = 0; r < rows; r++)
                new ReadOnlySpan<float>(tile + r * width, cols).CopyTo(new Span<float>(cTile + (nint)r * _n, cols));
        }

        private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
    }
}
