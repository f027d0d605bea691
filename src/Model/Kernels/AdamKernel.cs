using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace VaeSweep.Model.Kernels;

/// <summary>
/// One fused Adam update over flat parameter, moment and gradient arrays (torch.optim.Adam without weight decay):
/// m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; θ ← θ − stepSize · m / (√v · inverseCorrection2 + ε), with
/// stepSize = lr/(1−β₁ᵗ) and inverseCorrection2 = 1/√(1−β₂ᵗ) computed by the caller once per step, and 1−β
/// passed in rather than formed here: torch forms it in double (1 − 0.999f in float is off by 5e-5 relative).
/// One pass reads four arrays and writes three: for ~650 k parameters that is ~8 MB, larger than L2, so a single
/// pass rather than several is what matters.
/// Moments below the smallest normal float (1.18e-38) are stored as 0. Without this, a parameter whose gradient
/// stays 0 (weights of always-black pixels, dead ReLU units) decays m into the subnormal range after ~800 steps
/// and v after ~70 000; subnormal arithmetic takes a microcode assist (~100 cycles) per element on x86, which made
/// this update 5× slower mid-training. The flush changes updates by less than 1e-30 and keeps results deterministic.
/// </summary>
internal static class AdamKernel
{
    /// <param name="threads">Workers for large arrays (contiguous chunks; the update is elementwise, so the result
    /// is bit-identical for any value). 1 never leaves the calling thread.</param>
    public static void Step(Span<float> parameters, Span<float> m, Span<float> v, ReadOnlySpan<float> gradients,
        float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2, float stepSize, float inverseCorrection2, float epsilon, int threads = 1)
    {
        CheckLengths(parameters.Length, m.Length, v.Length, gradients.Length);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        var parts = Math.Min(threads, parameters.Length / ParallelChunk);
        if (parts <= 1)
        {
            StepRange(parameters, m, v, gradients, beta1, oneMinusBeta1, beta2, oneMinusBeta2, stepSize, inverseCorrection2, epsilon);
            return;
        }
        StepParallel(parameters, m, v, gradients, beta1, oneMinusBeta1, beta2, oneMinusBeta2, stepSize, inverseCorrection2, epsilon, parts);
    }

    // Its own method: the lambda's captures would otherwise allocate a closure on every call, the serial ones too.
    private static unsafe void StepParallel(Span<float> parameters, Span<float> m, Span<float> v, ReadOnlySpan<float> gradients,
        float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2, float stepSize, float inverseCorrection2, float epsilon, int parts)
    {
        fixed (float* pp = parameters, pm = m, pv = v, pg = gradients)
        {
            nint p0 = (nint)pp, m0 = (nint)pm, v0 = (nint)pv, g0 = (nint)pg;
            var n = parameters.Length;
            KernelThreads.Shared.Run(parts, part =>
            {
                // Chunk edges on 16-element boundaries keep every chunk's vector loop aligned with the serial one.
                var lo = (int)((long)n * part / parts) & ~15;
                var hi = part == parts - 1 ? n : (int)((long)n * (part + 1) / parts) & ~15;
                StepRange(new Span<float>((float*)p0 + lo, hi - lo), new Span<float>((float*)m0 + lo, hi - lo),
                    new Span<float>((float*)v0 + lo, hi - lo), new ReadOnlySpan<float>((float*)g0 + lo, hi - lo),
                    beta1, oneMinusBeta1, beta2, oneMinusBeta2, stepSize, inverseCorrection2, epsilon);
            });
        }
    }


    /// <summary>Below this many parameters per worker a hand-off costs more than it saves.</summary>
    private const int ParallelChunk = 1 << 16;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void StepRange(Span<float> parameters, Span<float> m, Span<float> v, ReadOnlySpan<float> gradients,
        float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2, float stepSize, float inverseCorrection2, float epsilon)
    {
        ref var ps = ref MemoryMarshal.GetReference(parameters);
        ref var ms = ref MemoryMarshal.GetReference(m);
        ref var vs = ref MemoryMarshal.GetReference(v);
        ref var gs = ref MemoryMarshal.GetReference(gradients);
        nuint n = (uint)parameters.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var b1 = Vector512.Create(beta1);
            var c1 = Vector512.Create(oneMinusBeta1);
            var b2 = Vector512.Create(beta2);
            var c2 = Vector512.Create(oneMinusBeta2);
            var step = Vector512.Create(stepSize);
            var correction = Vector512.Create(inverseCorrection2);
            var eps = Vector512.Create(epsilon);
            var smallest = Vector512.Create(SmallestNormal);
            for (; i + 16 <= n; i += 16)
            {
                var g = Vector512.LoadUnsafe(ref gs, i);
                var mi = b1 * Vector512.LoadUnsafe(ref ms, i) + c1 * g;
                var vi = b2 * Vector512.LoadUnsafe(ref vs, i) + c2 * g * g;
                mi &= Vector512.GreaterThanOrEqual(Vector512.Abs(mi), smallest).AsSingle();
                vi &= Vector512.GreaterThanOrEqual(vi, smallest).AsSingle();
                mi.StoreUnsafe(ref ms, i);
                vi.StoreUnsafe(ref vs, i);
                (Vector512.LoadUnsafe(ref ps, i) - step * mi / (Vector512.Sqrt(vi) * correction + eps)).StoreUnsafe(ref ps, i);
            }
        }
        for (; i < n; i++)
        {
            var g = Unsafe.Add(ref gs, i);
            var mi = Unsafe.Add(ref ms, i) = FlushSubnormal(beta1 * Unsafe.Add(ref ms, i) + oneMinusBeta1 * g);
            var vi = Unsafe.Add(ref vs, i) = FlushSubnormal(beta2 * Unsafe.Add(ref vs, i) + oneMinusBeta2 * g * g);
            Unsafe.Add(ref ps, i) -= stepSize * mi / (MathF.Sqrt(vi) * inverseCorrection2 + epsilon);
        }
    }

    /// <summary>Scalar twin of <see cref="Step"/>.</summary>
    public static void StepScalar(Span<float> parameters, Span<float> m, Span<float> v, ReadOnlySpan<float> gradients,
        float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2, float stepSize, float inverseCorrection2, float epsilon)
    {
        CheckLengths(parameters.Length, m.Length, v.Length, gradients.Length);
        for (var i = 0; i < parameters.Length; i++)
        {
            var g = gradients[i];
            m[i] = FlushSubnormal(beta1 * m[i] + oneMinusBeta1 * g);
            v[i] = FlushSubnormal(beta2 * v[i] + oneMinusBeta2 * g * g);
            parameters[i] -= stepSize * m[i] / (MathF.Sqrt(v[i]) * inverseCorrection2 + epsilon);
        }
    }

    /// <summary>The smallest positive normal float, 2⁻¹²⁶.</summary>
    internal const float SmallestNormal = 1.17549435e-38f;

    private static float FlushSubnormal(float x) => MathF.Abs(x) >= SmallestNormal ? x : 0f;

    private static void CheckLengths(int parameters, int m, int v, int gradients)
    {
        SpanChecks.SameLength(parameters, m, nameof(parameters), nameof(m));
        SpanChecks.SameLength(parameters, v, nameof(parameters), nameof(v));
        SpanChecks.SameLength(parameters, gradients, nameof(parameters), nameof(gradients));
    }
}
