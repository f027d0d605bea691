using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace VaeSweep.Model.Kernels;

/// <summary>
/// One fused Adam update over flat parameter, moment and gradient arrays (torch.optim.Adam without weight decay):
/// m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; θ ← θ − stepSize · m / (√v · inverseCorrection2 + ε), with
/// stepSize = lr/(1−β₁ᵗ) and inverseCorrection2 = 1/√(1−β₂ᵗ) computed by the caller once per step.
/// One pass reads four arrays and writes three: for ~650 k parameters that is ~8 MB, larger than L2, so a single
/// pass rather than several is what matters.
/// </summary>
internal static class AdamKernel
{
    public static void Step(Span<float> parameters, Span<float> m, Span<float> v, ReadOnlySpan<float> gradients,
        float beta1, float beta2, float stepSize, float inverseCorrection2, float epsilon)
    {
        CheckLengths(parameters.Length, m.Length, v.Length, gradients.Length);
        ref var ps = ref MemoryMarshal.GetReference(parameters);
        ref var ms = ref MemoryMarshal.GetReference(m);
        ref var vs = ref MemoryMarshal.GetReference(v);
        ref var gs = ref MemoryMarshal.GetReference(gradients);
        nuint n = (uint)parameters.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var b1 = Vector512.Create(beta1);
            var c1 = Vector512.Create(1 - beta1);
            var b2 = Vector512.Create(beta2);
            var c2 = Vector512.Create(1 - beta2);
            var step = Vector512.Create(stepSize);
            var correction = Vector512.Create(inverseCorrection2);
            var eps = Vector512.Create(epsilon);
            for (; i + 16 <= n; i += 16)
            {
                var g = Vector512.LoadUnsafe(ref gs, i);
                var mi = b1 * Vector512.LoadUnsafe(ref ms, i) + c1 * g;
                var vi = b2 * Vector512.LoadUnsafe(ref vs, i) + c2 * g * g;
                mi.StoreUnsafe(ref ms, i);
                vi.StoreUnsafe(ref vs, i);
                (Vector512.LoadUnsafe(ref ps, i) - step * mi / (Vector512.Sqrt(vi) * correction + eps)).StoreUnsafe(ref ps, i);
            }
        }
        for (; i < n; i++)
        {
            var g = Unsafe.Add(ref gs, i);
            var mi = Unsafe.Add(ref ms, i) = beta1 * Unsafe.Add(ref ms, i) + (1 - beta1) * g;
            var vi = Unsafe.Add(ref vs, i) = beta2 * Unsafe.Add(ref vs, i) + (1 - beta2) * g * g;
            Unsafe.Add(ref ps, i) -= stepSize * mi / (MathF.Sqrt(vi) * inverseCorrection2 + epsilon);
        }
    }

    /// <summary>Scalar twin of <see cref="Step"/>.</summary>
    public static void StepScalar(Span<float> parameters, Span<float> m, Span<float> v, ReadOnlySpan<float> gradients,
        float beta1, float beta2, float stepSize, float inverseCorrection2, float epsilon)
    {
        CheckLengths(parameters.Length, m.Length, v.Length, gradients.Length);
        for (var i = 0; i < parameters.Length; i++)
        {
            var g = gradients[i];
            m[i] = beta1 * m[i] + (1 - beta1) * g;
            v[i] = beta2 * v[i] + (1 - beta2) * g * g;
            parameters[i] -= stepSize * m[i] / (MathF.Sqrt(v[i]) * inverseCorrection2 + epsilon);
        }
    }

    private static void CheckLengths(int parameters, int m, int v, int gradients)
    {
        SpanChecks.SameLength(parameters, m, nameof(parameters), nameof(m));
        SpanChecks.SameLength(parameters, v, nameof(parameters), nameof(v));
        SpanChecks.SameLength(parameters, gradients, nameof(parameters), nameof(gradients));
    }
}
