using VaeSweep.Model.Kernels;
using static VaeSweep.Model.Tests.Kernels.KernelAssert;

namespace VaeSweep.Model.Tests.Kernels;

public class ElementwiseTests
{
    [Fact]
    public void ReluAndIdentityMatchTheirScalarTwinsExactly()
    {
        var rng = new Random(1);
        foreach (var n in OddLengths)
        {
            var x = Uniform(rng, n, -3, 3);
            Check<ReluOperator>(x);
            Check<IdentityOperator>(x);
        }

        static void Check<TOp>(float[] x) where TOp : struct, IUnaryOperator
        {
            var simd = new float[x.Length];
            var scalar = new float[x.Length];
            Elementwise.Map<TOp>(x, simd);
            Elementwise.MapScalar<TOp>(x, scalar);
            Assert.Equal(scalar, simd);
        }
    }

    [Fact]
    public void ReluClampsNegativesAndPropagatesNaNInEveryLane()
    {
        var x = Enumerable.Range(0, 33).Select(i => i % 3 == 0 ? -1f - i : i % 3 == 1 ? 2f * i : float.NaN).ToArray();
        var y = new float[x.Length];
        Elementwise.Map<ReluOperator>(x, y);
        for (var i = 0; i < x.Length; i++)
        {
            if (float.IsNaN(x[i])) Assert.True(float.IsNaN(y[i]), $"lane {i}: NaN must survive ReLU");
            else Assert.Equal(Math.Max(x[i], 0f), y[i]);
        }
    }

    [Fact]
    public void SigmoidIsBitIdenticalToItsTwinAndWithinThreeUlpOfTheDefinition()
    {
        var rng = new Random(2);
        foreach (var n in OddLengths)
        {
            var x = Uniform(rng, n, -20, 20);
            var simd = new float[n];
            var scalar = new float[n];
            Elementwise.Map<SigmoidOperator>(x, simd);
            Elementwise.MapScalar<SigmoidOperator>(x, scalar);
            Assert.Equal(scalar, simd);
            var exact = x.Select(v => (float)(1 / (1 + Math.Exp(-(double)v)))).ToArray();
            Close(exact, simd, 3.6e-7, 0, "sigmoid vs double definition");
        }
    }

    [Fact]
    public void SigmoidSaturatesToNormalFloatsWithoutNaN()
    {
        float[] extremes = [-1000f, -100f, -88f, 0f, 88f, 100f, 1000f, float.NegativeInfinity, float.PositiveInfinity, -87f, 87f, 0f, 0f, 0f, 0f, 0f, 0.5f];
        foreach (var simd in new[] { true, false })
        {
            var result = new float[extremes.Length];
            if (simd) Elementwise.Map<SigmoidOperator>(extremes, result);
            else Elementwise.MapScalar<SigmoidOperator>(extremes, result);
            Assert.All(result, v => Assert.True(v is >= 0f and <= 1f && !float.IsSubnormal(v), $"sigmoid gave {v}"));
            Assert.Equal(0.5f, result[3]);
            Assert.Equal(1f, result[6]);
            Assert.Equal(1f, result[8]);
            Assert.InRange(result[0], 0f, 2e-38f);
        }
    }

    [Fact]
    public void FastExpIsWithinTwoUlpOfExpAndClampsToNormalFloats()
    {
        var rng = new Random(6);
        var x = Uniform(rng, 4096, FastExp.Low, FastExp.High);
        x[0] = FastExp.Low;
        x[1] = FastExp.High;
        x[2] = 0f;
        var simd = new float[x.Length];
        var scalar = new float[x.Length];
        Elementwise.Map<ExpOperator>(x, simd);
        Elementwise.MapScalar<ExpOperator>(x, scalar);
        Assert.Equal(scalar, simd);
        Close(x.Select(v => (float)Math.Exp(v)).ToArray(), simd, 2.4e-7, 0, "FastExp vs Math.Exp");
        Assert.Equal(1f, simd[2]);

        float[] outside = [-1e30f, -200f, 89f, 1e30f, float.NegativeInfinity, float.PositiveInfinity, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f];
        var clamped = new float[outside.Length];
        Elementwise.Map<ExpOperator>(outside, clamped);
        Assert.Equal(FastExp.Exp(FastExp.Low), clamped[0]);
        Assert.Equal(FastExp.Exp(FastExp.Low), clamped[4]);
        Assert.Equal(FastExp.Exp(FastExp.High), clamped[3]);
        Assert.Equal(FastExp.Exp(FastExp.High), clamped[5]);
        Assert.All(clamped, v => Assert.True(float.IsNormal(v), $"exp gave {v}"));
    }

    private readonly struct ExpOperator : IUnaryOperator
    {
        public float Invoke(float x) => FastExp.Exp(x);
        public System.Runtime.Intrinsics.Vector256<float> Invoke(System.Runtime.Intrinsics.Vector256<float> x) => FastExp.Exp(x);
        public System.Runtime.Intrinsics.Vector512<float> Invoke(System.Runtime.Intrinsics.Vector512<float> x) => FastExp.Exp(x);
    }

    [Fact]
    public void BiasActivationAddsTheBiasPerColumnThenActivates()
    {
        var rng = new Random(3);
        foreach (var columns in OddLengths)
        {
            const int rows = 5;
            var values = Uniform(rng, rows * columns, -2, 2);
            var bias = Uniform(rng, columns, -1, 1);
            var simd = (float[])values.Clone();
            var scalar = (float[])values.Clone();
            Elementwise.BiasActivation<ReluOperator>(simd, bias);
            Elementwise.BiasActivationScalar<ReluOperator>(scalar, bias);
            Assert.Equal(scalar, simd);
            for (var i = 0; i < values.Length; i++) Assert.Equal(Math.Max(values[i] + bias[i % columns], 0f), simd[i]);

            var linear = (float[])values.Clone();
            Elementwise.BiasActivation<IdentityOperator>(linear, bias);
            for (var i = 0; i < values.Length; i++) Assert.Equal(values[i] + bias[i % columns], linear[i]);
        }
    }

    [Fact]
    public void ReluBackwardZeroesGradientsWhereTheOutputIsNotPositive()
    {
        var rng = new Random(4);
        foreach (var n in OddLengths)
        {
            var output = new float[n];
            Elementwise.Map<ReluOperator>(Uniform(rng, n, -1, 1), output);
            var gradient = Uniform(rng, n, -5, 5);
            var simd = (float[])gradient.Clone();
            var scalar = (float[])gradient.Clone();
            Elementwise.ReluBackward(output, simd);
            Elementwise.ReluBackwardScalar(output, scalar);
            Assert.Equal(scalar, simd);
            for (var i = 0; i < n; i++) Assert.Equal(output[i] > 0 ? gradient[i] : 0f, simd[i]);
        }
    }

    [Fact]
    public void FusedReluBackwardAndBiasGradientMatchTwinAndColumnSums()
    {
        var rng = new Random(5);
        foreach (var columns in OddLengths)
        {
            const int rows = 7;
            var output = new float[rows * columns];
            Elementwise.Map<ReluOperator>(Uniform(rng, rows * columns, -1, 1), output);
            var gradient = Uniform(rng, rows * columns, -5, 5);
            var simd = (float[])gradient.Clone();
            var scalar = (float[])gradient.Clone();
            var biasSimd = Enumerable.Repeat(99f, columns).ToArray();   // overwritten, not accumulated
            var biasScalar = new float[columns];
            Elementwise.ReluBackwardWithBiasGradient(output, simd, biasSimd);
            Elementwise.ReluBackwardWithBiasGradientScalar(output, scalar, biasScalar);
            Assert.Equal(scalar, simd);
            Assert.Equal(biasScalar, biasSimd);
            for (var j = 0; j < columns; j++)
            {
                var expected = 0.0;
                for (var r = 0; r < rows; r++) expected += output[r * columns + j] > 0 ? gradient[r * columns + j] : 0;
                Close(expected, biasSimd[j], 1e-6, 1e-5, $"bias gradient {j}");
            }
            var sums = new float[columns];
            Elementwise.ColumnSums(simd, sums);
            Assert.Equal(biasSimd, sums);
        }
    }

    [Fact]
    public void MismatchedSpansAreRejectedByName()
    {
        var ex = Assert.Throws<ArgumentException>(() => Elementwise.Map<ReluOperator>(new float[3], new float[4]));
        Assert.Contains("destination", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => Elementwise.BiasActivation<ReluOperator>(new float[10], new float[3]));
        Assert.Contains("values has 10 elements", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => Elementwise.ColumnSums(new float[6], Span<float>.Empty));
        Assert.Contains("sums is empty", ex.Message);
    }
}
