using VaeSweep.Model.Layers;
using VaeSweep.Model.Randomness;
using VaeSweep.Model.Tests.TestSupport;
using static VaeSweep.Model.Tests.TestSupport.TensorAssert;

namespace VaeSweep.Model.Tests.Layers;

public class ActivationLayerTests
{
    /// <summary>Inputs away from ReLU's kink (so central differences are valid), plus large magnitudes.</summary>
    private static float[] Inputs()
    {
        var rng = Xoshiro256StarStar.FromSeed(5);
        var values = Enumerable.Range(0, 37).Select(_ =>
        {
            var v = (float)(3 * rng.NextGaussian());
            return MathF.Abs(v) < 0.05f ? v + 0.2f : v;
        }).ToList();
        values.AddRange([25f, -25f, 12f, -12f]);
        return values.ToArray();
    }

    [Theory]
    [InlineData(Activation.Relu)]
    [InlineData(Activation.Tanh)]
    [InlineData(Activation.Softplus)]
    [InlineData(Activation.Identity)]
    public void Forward_matches_double_reference(Activation kind)
    {
        var pre = Inputs();
        var output = new float[pre.Length];
        ActivationLayer.Forward(kind, pre, output);
        CheckTensor(output, pre.Select(a => Reference.Activate(kind, a)).ToArray(), $"{kind} forward", 1e-5);
    }

    [Theory]
    [InlineData(Activation.Relu)]
    [InlineData(Activation.Tanh)]
    [InlineData(Activation.Softplus)]
    [InlineData(Activation.Identity)]
    public void Backward_matches_finite_differences(Activation kind)
    {
        var pre = Inputs();
        var output = new float[pre.Length];
        ActivationLayer.Forward(kind, pre, output);
        var rng = Xoshiro256StarStar.FromSeed(6);
        var g = pre.Select(_ => (float)rng.NextGaussian()).ToArray();
        var grad = g.ToArray();
        ActivationLayer.Backward(kind, pre, output, grad, new float[pre.Length]);

        var a = Reference.ToDouble(pre);
        double Loss() => a.Select((v, i) => g[i] * Reference.Activate(kind, v)).Sum();
        CheckTensor(grad, FiniteDifference.Gradient(a, Loss), $"{kind} backward", 1e-4);
    }
}
