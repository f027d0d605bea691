using System.Numerics;
using System.Numerics.Tensors;
using VaeSweep.Model.Kernels;

namespace VaeSweep.Model.Layers;

/// <summary>
/// Elementwise nonlinearity of the hidden layers: forward keeps pre- and post-activation, backward runs in place.
/// The engine fuses ReLU and the identity into <see cref="Linear"/> instead; tanh and softplus run here.
/// </summary>
internal static class ActivationLayer
{
    /// <summary>output = f(pre), both [rows·H].</summary>
    public static void Forward(Activation kind, ReadOnlySpan<float> pre, Span<float> output)
    {
        switch (kind)
        {
            case Activation.Relu:
                Elementwise.Map<ReluOperator>(pre, output);
                break;
            case Activation.Tanh:
                TensorPrimitives.Tanh(pre, output);
                break;
            case Activation.Softplus:
                Softplus(pre, output);
                break;
            case Activation.Identity:
                pre.CopyTo(output);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown activation");
        }
    }

    /// <summary>
    /// grad ← grad ⊙ f′(pre), in place over [rows·H]. <paramref name="scratch"/> (same length) is only used by softplus,
    /// whose derivative sigmoid(pre) is recomputed rather than stored.
    /// </summary>
    public static void Backward(Activation kind, ReadOnlySpan<float> pre, ReadOnlySpan<float> output, Span<float> grad, Span<float> scratch)
    {
        switch (kind)
        {
            case Activation.Relu:
                Elementwise.ReluBackward(output, grad);
                break;
            case Activation.Tanh:
                TanhBackward(output, grad);
                break;
            case Activation.Softplus:
                TensorPrimitives.Sigmoid(pre, scratch);
                TensorPrimitives.Multiply(grad, scratch, grad);
                break;
            case Activation.Identity:
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown activation");
        }
    }

    /// <summary>softplus(a) = max(a, 0) + log1p(exp(−|a|)): never overflows, exact for large |a|.</summary>
    private static void Softplus(ReadOnlySpan<float> pre, Span<float> output)
    {
        TensorPrimitives.Abs(pre, output);
        TensorPrimitives.Negate(output, output);
        TensorPrimitives.Exp(output, output);
        TensorPrimitives.LogP1(output, output);
        var i = 0;
        var width = Vector<float>.Count;
        for (; i <= pre.Length - width; i += width)
            (new Vector<float>(output[i..]) + Vector.Max(new Vector<float>(pre[i..]), Vector<float>.Zero)).CopyTo(output[i..]);
        for (; i < pre.Length; i++) output[i] += MathF.Max(pre[i], 0f);
    }

    // tanh′ = 1 − tanh², from the stored output.
    private static void TanhBackward(ReadOnlySpan<float> output, Span<float> grad)
    {
        var i = 0;
        var width = Vector<float>.Count;
        for (; i <= grad.Length - width; i += width)
        {
            var y = new Vector<float>(output[i..]);
            (new Vector<float>(grad[i..]) * (Vector<float>.One - y * y)).CopyTo(grad[i..]);
        }
        for (; i < grad.Length; i++) grad[i] *= 1 - output[i] * output[i];
    }
}
