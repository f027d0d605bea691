using VaeSweep.Model.Kernels;
using VaeSweep.Model.Layers;
using VaeSweep.Model.Randomness;
using VaeSweep.Model.Tests.TestSupport;
using static VaeSweep.Model.Tests.TestSupport.TensorAssert;

namespace VaeSweep.Model.Tests.Layers;

public class LinearTests
{
    private const int Rows = 3, In = 5, Out = 4;

    private static (Linear Layer, float[] X, float[] G) Setup(int offset = 0)
    {
        var parameters = new float[offset + In * Out + Out];
        var gradients = new float[parameters.Length];
        var layer = new Linear(In, Out, parameters, gradients, offset);
        var rng = Xoshiro256StarStar.FromSeed(11);
        layer.Initialize(rng);
        var x = Enumerable.Range(0, Rows * In).Select(_ => (float)rng.NextGaussian()).ToArray();
        var g = Enumerable.Range(0, Rows * Out).Select(_ => (float)rng.NextGaussian()).ToArray();
        return (layer, x, g);
    }

    [Fact]
    public void Forward_matches_double_reference()
    {
        var (layer, x, _) = Setup();
        var y = new float[Rows * Out];
        layer.Forward(x, y, Rows, threads: 1);
        var expected = Reference.Linear(Reference.ToDouble(x), Reference.ToDouble(layer.Weight), Reference.ToDouble(layer.Bias), Rows, In, Out);
        CheckTensor(y, expected, "y", 1e-5);
    }

    [Fact]
    public void Gradients_of_weights_bias_and_input_match_finite_differences()
    {
        // Loss = Σ g ⊙ y, so the upstream gradient is g; the reference differentiates the double forward.
        var (layer, x, g) = Setup(offset: 7);   // a non-zero offset proves the views address the right slice
        var dx = new float[Rows * In];
        layer.Backward(x, g, dx, Rows, threads: 1);

        var w = Reference.ToDouble(layer.Weight);
        var b = Reference.ToDouble(layer.Bias);
        var xd = Reference.ToDouble(x);
        var gd = Reference.ToDouble(g);
        double Loss() => Reference.Linear(xd, w, b, Rows, In, Out).Zip(gd, (y, u) => y * u).Sum();

        CheckTensor(layer.WeightGrad, FiniteDifference.Gradient(w, Loss), "dW", 1e-4);
        CheckTensor(layer.BiasGrad, FiniteDifference.Gradient(b, Loss), "db", 1e-4);
        CheckTensor(dx, FiniteDifference.Gradient(xd, Loss), "dx", 1e-4);
    }

    [Fact]
    public void Backward_overwrites_gradients_and_may_skip_the_input_gradient()
    {
        var (layer, x, g) = Setup();
        var dx = new float[Rows * In];
        layer.Backward(x, g, dx, Rows, threads: 1);
        var first = layer.WeightGrad.ToArray().Concat(layer.BiasGrad.ToArray()).ToArray();
        layer.Backward(x, g, Span<float>.Empty, Rows, threads: 1);
        var second = layer.WeightGrad.ToArray().Concat(layer.BiasGrad.ToArray()).ToArray();
        Assert.Equal(first, second);
    }

    [Fact]
    public void Only_the_leading_rows_are_used()
    {
        var (layer, x, _) = Setup();
        var full = new float[Rows * Out];
        layer.Forward(x, full, Rows, threads: 1);
        var partial = Enumerable.Repeat(float.NaN, Rows * Out).ToArray();
        layer.Forward(x, partial, rows: 2, threads: 1);
        Assert.Equal(full[..(2 * Out)], partial[..(2 * Out)]);
        Assert.All(partial[(2 * Out)..], v => Assert.True(float.IsNaN(v)));
    }

    [Fact]
    public void Initialization_is_uniform_within_the_pytorch_bound()
    {
        var parameters = new float[400 * 100 + 400];
        var layer = new Linear(100, 400, parameters, new float[parameters.Length], 0);
        layer.Initialize(Xoshiro256StarStar.FromSeed(3));
        var bound = 1 / MathF.Sqrt(100);
        Assert.All(parameters, v => Assert.InRange(v, -bound, bound));
        // U(−a, a): mean 0, variance a²/3.
        var mean = parameters.Average(v => (double)v);
        var variance = parameters.Average(v => (double)v * v) - mean * mean;
        Assert.InRange(mean, -0.002, 0.002);
        Assert.InRange(variance, 0.97 * bound * bound / 3, 1.03 * bound * bound / 3);
        Assert.InRange(layer.Bias.ToArray().Max(), 0.8 * bound, bound);
    }

    [Fact]
    public void Fused_relu_forward_and_backward_equal_the_layer_followed_by_the_activation()
    {
        var (layer, x, g) = Setup();
        var pre = new float[Rows * Out];
        var expectedY = new float[Rows * Out];
        layer.Forward(x, pre, Rows, threads: 1);
        ActivationLayer.Forward(Activation.Relu, pre, expectedY);
        var expectedGrad = g.ToArray();
        ActivationLayer.Backward(Activation.Relu, pre, expectedY, expectedGrad, new float[Rows * Out]);
        var expectedDx = new float[Rows * In];
        layer.Backward(x, expectedGrad, expectedDx, Rows, threads: 1);
        var expectedParams = layer.WeightGrad.ToArray().Concat(layer.BiasGrad.ToArray()).ToArray();

        var y = new float[Rows * Out];
        layer.Forward<ReluOperator>(x, y, Rows, threads: 1);
        var grad = g.ToArray();
        var dx = new float[Rows * In];
        layer.BackwardRelu(x, y, grad, dx, Rows, threads: 1);

        Assert.Contains(y, v => v == 0);
        Assert.Contains(y, v => v > 0);
        Assert.Equal(expectedY, y);
        Assert.Equal(expectedGrad, grad);
        Assert.Equal(expectedDx, dx);
        Assert.Equal(expectedParams, layer.WeightGrad.ToArray().Concat(layer.BiasGrad.ToArray()).ToArray());
    }
}
