using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace VaeSweep.Model.Kernels;

/// <summary>
/// Layer-level elementwise kernels over row-major [rows, columns] spans: apply an operator, add a bias and apply
/// an activation in place, mask gradients by ReLU, sum columns for bias gradients. Each has a plain scalar twin
/// (suffix <c>Scalar</c>) that its tests compare against. SIMD loops go 16 lanes, then 8, then scalar; the split
/// depends only on positions, so results are deterministic. Hot loops skip tiered compilation
/// (AggressiveOptimization): tier-0 SIMD code runs an order of magnitude slower and gains nothing from PGO.
/// </summary>
internal static class Elementwise
{
    /// <summary>destination[i] = op(x[i]). <paramref name="destination"/> may be <paramref name="x"/> itself.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Map<TOp>(ReadOnlySpan<float> x, Span<float> destination, TOp op = default)
        where TOp : struct, IUnaryOperator
    {
        SpanChecks.SameLength(x.Length, destination.Length, nameof(x), nameof(destination));
        ref var xs = ref MemoryMarshal.GetReference(x);
        ref var ds = ref MemoryMarshal.GetReference(destination);
        nuint n = (uint)x.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i + 16 <= n; i += 16)
                op.Invoke(Vector512.LoadUnsafe(ref xs, i)).StoreUnsafe(ref ds, i);
        if (Vector256.IsHardwareAccelerated)
            for (; i + 8 <= n; i += 8)
                op.Invoke(Vector256.LoadUnsafe(ref xs, i)).StoreUnsafe(ref ds, i);
        for (; i < n; i++)
            Unsafe.Add(ref ds, i) = op.Invoke(Unsafe.Add(ref xs, i));
    }

    /// <summary>Scalar twin of <see cref="Map{TOp}"/>.</summary>
    public static void MapScalar<TOp>(ReadOnlySpan<float> x, Span<float> destination, TOp op = default)
        where TOp : struct, IUnaryOperator
    {
        SpanChecks.SameLength(x.Length, destination.Length, nameof(x), nameof(destination));
        for (var i = 0; i < x.Length; i++) destination[i] = op.Invoke(x[i]);
    }

    /// <summary>
    /// In place over [rows, bias.Length]: values[r, j] = op(values[r, j] + bias[j]). With <see cref="ReluOperator"/>
    /// this is a hidden layer's bias-add + ReLU in one pass after its GEMM; with <see cref="IdentityOperator"/> an
    /// output layer's bias add.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BiasActivation<TOp>(Span<float> values, ReadOnlySpan<float> bias, TOp op = default)
        where TOp : struct, IUnaryOperator
    {
        var rows = SpanChecks.Rows(values.Length, bias.Length, nameof(values), nameof(bias));
        ref var bs = ref MemoryMarshal.GetReference(bias);
        nuint columns = (uint)bias.Length;
        for (var r = 0; r < rows; r++)
        {
            ref var row = ref MemoryMarshal.GetReference(values.Slice(r * bias.Length, bias.Length));
            nuint j = 0;
            if (Vector512.IsHardwareAccelerated)
                for (; j + 16 <= columns; j += 16)
                    op.Invoke(Vector512.LoadUnsafe(ref row, j) + Vector512.LoadUnsafe(ref bs, j)).StoreUnsafe(ref row, j);
            if (Vector256.IsHardwareAccelerated)
                for (; j + 8 <= columns; j += 8)
                    op.Invoke(Vector256.LoadUnsafe(ref row, j) + Vector256.LoadUnsafe(ref bs, j)).StoreUnsafe(ref row, j);
            for (; j < columns; j++)
                Unsafe.Add(ref row, j) = op.Invoke(Unsafe.Add(ref row, j) + Unsafe.Add(ref bs, j));
        }
    }

    /// <summary>Scalar twin of <see cref="BiasActivation{TOp}"/>.</summary>
    public static void BiasActivationScalar<TOp>(Span<float> values, ReadOnlySpan<float> bias, TOp op = default)
        where TOp : struct, IUnaryOperator
    {
        var rows = SpanChecks.Rows(values.Length, bias.Length, nameof(values), nameof(bias));
        for (var r = 0; r < rows; r++)
            for (var j = 0; j < bias.Length; j++)
                values[r * bias.Length + j] = op.Invoke(values[r * bias.Length + j] + bias[j]);
    }

    /// <summary>
    /// ReLU backward in place: gradient[i] = output[i] &gt; 0 ? gradient[i] : 0, reading the derivative off the
    /// layer's output (output &gt; 0 ⇔ pre-activation &gt; 0), so the pre-activation need not be kept.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ReluBackward(ReadOnlySpan<float> output, Span<float> gradient)
    {
        SpanChecks.SameLength(output.Length, gradient.Length, nameof(output), nameof(gradient));
        ref var ys = ref MemoryMarshal.GetReference(output);
        ref var gs = ref MemoryMarshal.GetReference(gradient);
        nuint n = (uint)output.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i + 16 <= n; i += 16)
            {
                var keep = Vector512.GreaterThan(Vector512.LoadUnsafe(ref ys, i), Vector512<float>.Zero);
                (Vector512.LoadUnsafe(ref gs, i) & keep).StoreUnsafe(ref gs, i);
            }
        if (Vector256.IsHardwareAccelerated)
            for (; i + 8 <= n; i += 8)
            {
                var keep = Vector256.GreaterThan(Vector256.LoadUnsafe(ref ys, i), Vector256<float>.Zero);
                (Vector256.LoadUnsafe(ref gs, i) & keep).StoreUnsafe(ref gs, i);
            }
        for (; i < n; i++)
            if (!(Unsafe.Add(ref ys, i) > 0)) Unsafe.Add(ref gs, i) = 0f;
    }

    /// <summary>Scalar twin of <see cref="ReluBackward"/>.</summary>
    public static void ReluBackwardScalar(ReadOnlySpan<float> output, Span<float> gradient)
    {
        SpanChecks.SameLength(output.Length, gradient.Length, nameof(output), nameof(gradient));
        for (var i = 0; i < output.Length; i++)
            if (!(output[i] > 0)) gradient[i] = 0f;
    }

    /// <summary>
    /// ReLU backward fused with the layer's bias gradient, one pass over [rows, biasGradient.Length]:
    /// gradient ⊙= (output &gt; 0), then biasGradient[j] = Σ_r gradient[r, j] (overwritten; rows summed in order).
    /// </summary>
    public static void ReluBackwardWithBiasGradient(ReadOnlySpan<float> output, Span<float> gradient, Span<float> biasGradient)
    {
        SpanChecks.SameLength(output.Length, gradient.Length, nameof(output), nameof(gradient));
        var rows = SpanChecks.Rows(gradient.Length, biasGradient.Length, nameof(gradient), nameof(biasGradient));
        biasGradient.Clear();
        var columns = biasGradient.Length;
        for (var r = 0; r < rows; r++)
        {
            var y = output.Slice(r * columns, columns);
            var g = gradient.Slice(r * columns, columns);
            ReluBackward(y, g);
            AddTo(g, biasGradient);
        }
    }

    /// <summary>Scalar twin of <see cref="ReluBackwardWithBiasGradient"/>.</summary>
    public static void ReluBackwardWithBiasGradientScalar(ReadOnlySpan<float> output, Span<float> gradient, Span<float> biasGradient)
    {
        ReluBackwardScalar(output, gradient);
        ColumnSumsScalar(gradient, biasGradient);
    }

    /// <summary>sums[j] = Σ_r matrix[r, j] over [rows, sums.Length], rows added in order (overwrites sums).</summary>
    public static void ColumnSums(ReadOnlySpan<float> matrix, Span<float> sums)
    {
        var rows = SpanChecks.Rows(matrix.Length, sums.Length, nameof(matrix), nameof(sums));
        sums.Clear();
        for (var r = 0; r < rows; r++) AddTo(matrix.Slice(r * sums.Length, sums.Length), sums);
    }

    /// <summary>Scalar twin of <see cref="ColumnSums"/>.</summary>
    public static void ColumnSumsScalar(ReadOnlySpan<float> matrix, Span<float> sums)
    {
        var rows = SpanChecks.Rows(matrix.Length, sums.Length, nameof(matrix), nameof(sums));
        sums.Clear();
        for (var r = 0; r < rows; r++)
            for (var j = 0; j < sums.Length; j++)
                sums[j] += matrix[r * sums.Length + j];
    }

    /// <summary>accumulator[j] += row[j]; lengths already checked.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddTo(ReadOnlySpan<float> row, Span<float> accumulator)
    {
        ref var xs = ref MemoryMarshal.GetReference(row);
        ref var acc = ref MemoryMarshal.GetReference(accumulator);
        nuint n = (uint)row.Length, j = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; j + 16 <= n; j += 16)
                (Vector512.LoadUnsafe(ref acc, j) + Vector512.LoadUnsafe(ref xs, j)).StoreUnsafe(ref acc, j);
        if (Vector256.IsHardwareAccelerated)
            for (; j + 8 <= n; j += 8)
                (Vector256.LoadUnsafe(ref acc, j) + Vector256.LoadUnsafe(ref xs, j)).StoreUnsafe(ref acc, j);
        for (; j < n; j++)
            Unsafe.Add(ref acc, j) += Unsafe.Add(ref xs, j);
    }
}
