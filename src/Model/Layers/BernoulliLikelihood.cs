using System.Numerics;
using System.Numerics.Tensors;
using VaeSweep.Model.Kernels;

namespace VaeSweep.Model.Layers;

/// <summary>
/// Bernoulli(sigmoid(l)) on x ∈ {0, 1}: log p = Σ x·l − softplus(l), with softplus(l) = max(l, 0) + log1p(e^−|l|)
/// so large logits neither overflow nor cancel; ∂(−log p)/∂l = sigmoid(l) − x, sigmoid taken from the same e^−|l|.
/// </summary>
internal sealed class BernoulliLikelihood(int dimension) : DecoderLikelihood(dimension)
{
    public override double LogProbability(ReadOnlySpan<float> logits, ReadOnlySpan<float> x, Span<float> scratch)
    {
        Span<double> value = stackalloc double[1];
        BernoulliLogitKernels.LogLikelihoodPerRow(logits, x, value);
        return value[0];
    }

    public override void LogProbabilityPerRow(ReadOnlySpan<float> logits, ReadOnlySpan<float> x, Span<double> perRow) =>
        BernoulliLogitKernels.LogLikelihoodPerRow(logits, x, perRow);

    // Training keeps its own loop rather than BernoulliLogitKernels.LossAndGradient: that kernel's clamped exp makes
    // sigmoid(l) ≥ 1.6e-38 instead of exactly 0 for hugely negative logits, and the gradient here is exact there.

    public override double LogProbabilityAndGradient(ReadOnlySpan<float> logits, ReadOnlySpan<float> x, Span<float> grad, float scale, Span<float> scratch) =>
        Compute(logits, x, grad, scale, scratch);

    /// <summary>One pass over the row after the two transcendental sweeps, with the gradient.</summary>
    private static double Compute(ReadOnlySpan<float> logits, ReadOnlySpan<float> x, Span<float> grad, float scale, Span<float> scratch)
    {
        // scratch[0, D) = e = exp(−|l|), scratch[D, 2D) = log1p(e).
        var e = scratch[..logits.Length];
        var log1p = scratch.Slice(logits.Length, logits.Length);
        TensorPrimitives.Abs(logits, e);
        TensorPrimitives.Negate(e, e);
        TensorPrimitives.Exp(e, e);
        TensorPrimitives.LogP1(e, log1p);

        var s = new Vector<float>(scale);
        var accLow = Vector<double>.Zero;
        var accHigh = Vector<double>.Zero;
        var i = 0;
        var width = Vector<float>.Count;
        for (; i <= logits.Length - width; i += width)
        {
            var l = new Vector<float>(logits[i..]);
            var xv = new Vector<float>(x[i..]);
            Vector.Widen(xv * l - Vector.Max(l, Vector<float>.Zero) - new Vector<float>(log1p[i..]), out var low, out var high);
            accLow += low;
            accHigh += high;
            var ev = new Vector<float>(e[i..]);
            var inv = Vector<float>.One / (Vector<float>.One + ev);
            var sigmoid = Vector.ConditionalSelect(Vector.GreaterThanOrEqual(l, Vector<float>.Zero), inv, ev * inv);
            ((sigmoid - xv) * s).CopyTo(grad[i..]);
        }
        var sum = Vector.Sum(accLow + accHigh);
        for (; i < logits.Length; i++)
        {
            var l = logits[i];
            sum += (double)(x[i] * l - MathF.Max(l, 0f) - log1p[i]);
            var inv = 1 / (1 + e[i]);
            grad[i] = ((l >= 0 ? inv : e[i] * inv) - x[i]) * scale;
        }
        return sum;
    }
}
