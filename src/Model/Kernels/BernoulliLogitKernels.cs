using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace VaeSweep.Model.Kernels;

/// <summary>
/// The Bernoulli decoder on logits l: −log p(x|z) = Σ softplus(l) − x·l, computed as max(l, 0) − x·l + log(1 + e^−|l|)
/// so it never overflows; its gradient is sigmoid(l) − x, with sigmoid built from the same e^−|l|
/// (<see cref="FastExp"/>, so |l| &gt; 87 behaves as |l| = 87: a loss error below 1e-37).
/// </summary>
internal static class BernoulliLogitKernels
{
    /// <summary>
    /// Returns Σ −log p(x|l) (in double) and writes dLogits = gradScale · (sigmoid(l) − x), the gradient of
    /// gradScale times that sum (pass 1/B for the batch mean). Targets are usually 0/1 but any value in [0, 1] works.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double LossAndGradient(ReadOnlySpan<float> logits, ReadOnlySpan<float> x, Span<float> dLogits, float gradScale)
    {
        SpanChecks.SameLength(logits.Length, x.Length, nameof(logits), nameof(x));
        SpanChecks.SameLength(logits.Length, dLogits.Length, nameof(logits), nameof(dLogits));
        ref var ls = ref MemoryMarshal.GetReference(logits);
        ref var xs = ref MemoryMarshal.GetReference(x);
        ref var gs = ref MemoryMarshal.GetReference(dLogits);
        nuint n = (uint)logits.Length, i = 0;
        var sum = 0.0;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            var acc = Vector512<double>.Zero;
            var scale = Vector512.Create(gradScale);
            for (; i + 16 <= n; i += 16)
            {
                var l = Vector512.LoadUnsafe(ref ls, i);
                var t = Vector512.LoadUnsafe(ref xs, i);
                var e = FastExp.Exp(-Vector512.Abs(l));
                var onePlus = Vector512<float>.One + e;
                acc = VectorSums.Add(acc, Vector512.Max(l, Vector512<float>.Zero) - t * l + Vector512.Log(onePlus));
                var p = Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(l, Vector512<float>.Zero), Vector512<float>.One, e) / onePlus;
                (scale * (p - t)).StoreUnsafe(ref gs, i);
            }
            sum += Vector512.Sum(acc);
        }
        if (Vector256.IsHardwareAccelerated && n - i >= 8)
        {
            var acc = Vector256<double>.Zero;
            var scale = Vector256.Create(gradScale);
            for (; i + 8 <= n; i += 8)
            {
                var l = Vector256.LoadUnsafe(ref ls, i);
                var t = Vector256.LoadUnsafe(ref xs, i);
                var e = FastExp.Exp(-Vector256.Abs(l));
                var onePlus = Vector256<float>.One + e;
                acc = VectorSums.Add(acc, Vector256.Max(l, Vector256<float>.Zero) - t * l + Vector256.Log(onePlus));
                var p = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(l, Vector256<float>.Zero), Vector256<float>.One, e) / onePlus;
                (scale * (p - t)).StoreUnsafe(ref gs, i);
            }
            sum += Vector256.Sum(acc);
        }
        for (; i < n; i++)
        {
            var (loss, p) = Scalar(Unsafe.Add(ref ls, i), Unsafe.Add(ref xs, i));
            sum += loss;
            Unsafe.Add(ref gs, i) = gradScale * (p - Unsafe.Add(ref xs, i));
        }
        return sum;
    }

    /// <summary>Scalar twin of <see cref="LossAndGradient"/>.</summary>
    public static double LossAndGradientScalar(ReadOnlySpan<float> logits, ReadOnlySpan<float> x, Span<float> dLogits, float gradScale)
    {
        SpanChecks.SameLength(logits.Length, x.Length, nameof(logits), nameof(x));
        SpanChecks.SameLength(logits.Length, dLogits.Length, nameof(logits), nameof(dLogits));
        var sum = 0.0;
        for (var i = 0; i < logits.Length; i++)
        {
            var (loss, p) = Scalar(logits[i], x[i]);
            sum += loss;
            dLogits[i] = gradScale * (p - x[i]);
        }
        return sum;
    }

    /// <summary>
    /// log p(x | logits row) for every row of <paramref name="logits"/> ([rows, D]) against the one target
    /// <paramref name="x"/> ([D]): the importance-sampling inner loop.
    /// </summary>
    public static void LogLikelihoodPerRow(ReadOnlySpan<float> logits, ReadOnlySpan<float> x, Span<double> perRow)
    {
        var rows = SpanChecks.Rows(logits.Length, x.Length, nameof(logits), nameof(x));
        SpanChecks.SameLength(rows, perRow.Length, "rows of logits", nameof(perRow));
        for (var r = 0; r < rows; r++) perRow[r] = -NegativeLogLikelihood(logits.Slice(r * x.Length, x.Length), x);
    }

    /// <summary>Scalar twin of <see cref="LogLikelihoodPerRow"/>.</summary>
    public static void LogLikelihoodPerRowScalar(ReadOnlySpan<float> logits, ReadOnlySpan<float> x, Span<double> perRow)
    {
        var rows = SpanChecks.Rows(logits.Length, x.Length, nameof(logits), nameof(x));
        SpanChecks.SameLength(rows, perRow.Length, "rows of logits", nameof(perRow));
        for (var r = 0; r < rows; r++)
        {
            var sum = 0.0;
            for (var i = 0; i < x.Length; i++) sum += Scalar(logits[r * x.Length + i], x[i]).Loss;
            perRow[r] = -sum;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double NegativeLogLikelihood(ReadOnlySpan<float> logits, ReadOnlySpan<float> x)
    {
        ref var ls = ref MemoryMarshal.GetReference(logits);
        ref var xs = ref MemoryMarshal.GetReference(x);
        nuint n = (uint)logits.Length, i = 0;
        var sum = 0.0;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            var acc = Vector512<double>.Zero;
            for (; i + 16 <= n; i += 16)
            {
                var l = Vector512.LoadUnsafe(ref ls, i);
                var e = FastExp.Exp(-Vector512.Abs(l));
                acc = VectorSums.Add(acc, Vector512.Max(l, Vector512<float>.Zero) - Vector512.LoadUnsafe(ref xs, i) * l
                                          + Vector512.Log(Vector512<float>.One + e));
            }
            sum += Vector512.Sum(acc);
        }
        if (Vector256.IsHardwareAccelerated && n - i >= 8)
        {
            var acc = Vector256<double>.Zero;
            for (; i + 8 <= n; i += 8)
            {
                var l = Vector256.LoadUnsafe(ref ls, i);
                var e = FastExp.Exp(-Vector256.Abs(l));
                acc = VectorSums.Add(acc, Vector256.Max(l, Vector256<float>.Zero) - Vector256.LoadUnsafe(ref xs, i) * l
                                          + Vector256.Log(Vector256<float>.One + e));
            }
            sum += Vector256.Sum(acc);
        }
        for (; i < n; i++) sum += Scalar(Unsafe.Add(ref ls, i), Unsafe.Add(ref xs, i)).Loss;
        return sum;
    }

    /// <summary>One element's loss (as the float the SIMD lanes compute, widened) and sigmoid(l).</summary>
    private static (double Loss, float Probability) Scalar(float l, float x)
    {
        var e = FastExp.Exp(-MathF.Abs(l));
        var onePlus = 1f + e;
        var loss = MathF.Max(l, 0f) - x * l + MathF.Log(onePlus);
        return (loss, (l >= 0 ? 1f : e) / onePlus);
    }
}
