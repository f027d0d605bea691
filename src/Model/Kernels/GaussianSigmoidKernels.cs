using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace VaeSweep.Model.Kernels;

/// <summary>
/// The Gaussian decoder with sigmoid mean, μ = sigmoid(logits): −log p(x|z) = ‖x − μ‖²/(2σ²) + D·log(σ√(2π)).
/// These kernels return the squared error ‖x − μ‖² (in double) and leave σ and the constant to the caller.
/// </summary>
internal static class GaussianSigmoidKernels
{
    /// <summary>
    /// One pass over logits and targets of equal length (one row or a whole batch): returns Σ (x − μ)² and writes
    /// dLogits = gradScale · (μ − x) · μ(1 − μ), the gradient of gradScale · ½ Σ (x − μ)² (pass gradScale = 1/(σ²·B)
    /// for the batch-mean negative log-likelihood), and μ itself into <paramref name="mean"/> unless it is empty.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double LossAndGradient(ReadOnlySpan<float> logits, ReadOnlySpan<float> x, Span<float> dLogits, float gradScale,
        Span<float> mean = default)
    {
        SpanChecks.SameLength(logits.Length, x.Length, nameof(logits), nameof(x));
        SpanChecks.SameLength(logits.Length, dLogits.Length, nameof(logits), nameof(dLogits));
        var writeMean = !mean.IsEmpty;
        if (writeMean) SpanChecks.SameLength(logits.Length, mean.Length, nameof(logits), nameof(mean));
        ref var ls = ref MemoryMarshal.GetReference(logits);
        ref var xs = ref MemoryMarshal.GetReference(x);
        ref var gs = ref MemoryMarshal.GetReference(dLogits);
        ref var ms = ref MemoryMarshal.GetReference(mean);
        nuint n = (uint)logits.Length, i = 0;
        var sum = 0.0;
        SigmoidOperator sigmoid = default;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            var acc = Vector512<double>.Zero;
            var scale = Vector512.Create(gradScale);
            for (; i + 16 <= n; i += 16)
            {
                var m = sigmoid.Invoke(Vector512.LoadUnsafe(ref ls, i));
                var r = m - Vector512.LoadUnsafe(ref xs, i);
                acc = VectorSums.Add(acc, r * r);
                (scale * r * m * (Vector512<float>.One - m)).StoreUnsafe(ref gs, i);
                if (writeMean) m.StoreUnsafe(ref ms, i);
            }
            sum += Vector512.Sum(acc);
        }
        if (Vector256.IsHardwareAccelerated && n - i >= 8)
        {
            var acc = Vector256<double>.Zero;
            var scale = Vector256.Create(gradScale);
            for (; i + 8 <= n; i += 8)
            {
                var m = sigmoid.Invoke(Vector256.LoadUnsafe(ref ls, i));
                var r = m - Vector256.LoadUnsafe(ref xs, i);
                acc = VectorSums.Add(acc, r * r);
                (scale * r * m * (Vector256<float>.One - m)).StoreUnsafe(ref gs, i);
                if (writeMean) m.StoreUnsafe(ref ms, i);
            }
            sum += Vector256.Sum(acc);
        }
        for (; i < n; i++)
        {
            var m = sigmoid.Invoke(Unsafe.Add(ref ls, i));
            var r = m - Unsafe.Add(ref xs, i);
            sum += (double)(r * r);
            Unsafe.Add(ref gs, i) = gradScale * r * m * (1f - m);
            if (writeMean) Unsafe.Add(ref ms, i) = m;
        }
        return sum;
    }

    /// <summary>Scalar twin of <see cref="LossAndGradient"/>.</summary>
    public static double LossAndGradientScalar(ReadOnlySpan<float> logits, ReadOnlySpan<float> x, Span<float> dLogits, float gradScale,
        Span<float> mean = default)
    {
        SpanChecks.SameLength(logits.Length, x.Length, nameof(logits), nameof(x));
        SpanChecks.SameLength(logits.Length, dLogits.Length, nameof(logits), nameof(dLogits));
        if (!mean.IsEmpty) SpanChecks.SameLength(logits.Length, mean.Length, nameof(logits), nameof(mean));
        var sum = 0.0;
        for (var i = 0; i < logits.Length; i++)
        {
            var m = 1f / (1f + FastExp.Exp(-logits[i]));
            var r = m - x[i];
            sum += (double)(r * r);
            dLogits[i] = gradScale * r * m * (1f - m);
            if (!mean.IsEmpty) mean[i] = m;
        }
        return sum;
    }

    /// <summary>
    /// Squared error of every row of <paramref name="logits"/> ([rows, D]) against the one target
    /// <paramref name="x"/> ([D]): the importance-sampling inner loop, where K decoded samples share one image.
    /// </summary>
    public static void SquaredErrorPerRow(ReadOnlySpan<float> logits, ReadOnlySpan<float> x, Span<double> perRow)
    {
        var rows = SpanChecks.Rows(logits.Length, x.Length, nameof(logits), nameof(x));
        SpanChecks.SameLength(rows, perRow.Length, "rows of logits", nameof(perRow));
        for (var r = 0; r < rows; r++) perRow[r] = SquaredError(logits.Slice(r * x.Length, x.Length), x);
    }

    /// <summary>Scalar twin of <see cref="SquaredErrorPerRow"/>.</summary>
    public static void SquaredErrorPerRowScalar(ReadOnlySpan<float> logits, ReadOnlySpan<float> x, Span<double> perRow)
    {
        var rows = SpanChecks.Rows(logits.Length, x.Length, nameof(logits), nameof(x));
        SpanChecks.SameLength(rows, perRow.Length, "rows of logits", nameof(perRow));
        for (var r = 0; r < rows; r++)
        {
            var sum = 0.0;
            for (var i = 0; i < x.Length; i++)
            {
                var m = 1f / (1f + FastExp.Exp(-logits[r * x.Length + i]));
                var e = m - x[i];
                sum += (double)(e * e);
            }
            perRow[r] = sum;
        }
    }

    /// <summary>Σ (x − sigmoid(logits))² over one row, without a gradient.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double SquaredError(ReadOnlySpan<float> logits, ReadOnlySpan<float> x)
    {
        SpanChecks.SameLength(logits.Length, x.Length, nameof(logits), nameof(x));
        ref var ls = ref MemoryMarshal.GetReference(logits);
        ref var xs = ref MemoryMarshal.GetReference(x);
        nuint n = (uint)logits.Length, i = 0;
        var sum = 0.0;
        SigmoidOperator sigmoid = default;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            var acc = Vector512<double>.Zero;
            for (; i + 16 <= n; i += 16)
            {
                var r = sigmoid.Invoke(Vector512.LoadUnsafe(ref ls, i)) - Vector512.LoadUnsafe(ref xs, i);
                acc = VectorSums.Add(acc, r * r);
            }
            sum += Vector512.Sum(acc);
        }
        if (Vector256.IsHardwareAccelerated && n - i >= 8)
        {
            var acc = Vector256<double>.Zero;
            for (; i + 8 <= n; i += 8)
            {
                var r = sigmoid.Invoke(Vector256.LoadUnsafe(ref ls, i)) - Vector256.LoadUnsafe(ref xs, i);
                acc = VectorSums.Add(acc, r * r);
            }
            sum += Vector256.Sum(acc);
        }
        for (; i < n; i++)
        {
            var r = sigmoid.Invoke(Unsafe.Add(ref ls, i)) - Unsafe.Add(ref xs, i);
            sum += (double)(r * r);
        }
        return sum;
    }
}
