using VaeSweep.Model.Kernels;
using static VaeSweep.Model.Tests.Kernels.KernelAssert;

namespace VaeSweep.Model.Tests.Kernels;

public class LikelihoodKernelTests
{
    private const float GradScale = 0.37f;

    [Fact]
    public void GaussianLossAndGradientMatchTheScalarTwinAndTheDoubleDefinition()
    {
        var rng = new Random(11);
        foreach (var n in OddLengths)
        {
            var logits = Uniform(rng, n, -6, 6);
            var x = Uniform(rng, n, 0, 1);
            var simd = new float[n];
            var scalar = new float[n];
            var mean = new float[n];
            var lossSimd = GaussianSigmoidKernels.LossAndGradient(logits, x, simd, GradScale, mean);
            var lossScalar = GaussianSigmoidKernels.LossAndGradientScalar(logits, x, scalar, GradScale);
            // Same sigmoid and the same operation order in every lane: the gradients agree bit for bit; only the
            // loss sums in a different order.
            Assert.Equal(scalar, simd);
            var sigmoid = new float[n];
            Elementwise.MapScalar<SigmoidOperator>(logits, sigmoid);
            Assert.Equal(sigmoid, mean);
            Close(GaussianGradient(logits, x), simd, 1e-5, GradScale * 3e-7, "dLogits vs double definition");
            Close(lossScalar, lossSimd, 2e-6, 1e-9, "SIMD vs scalar loss");
            Close(GaussianSquaredError(logits, x), lossSimd, 2e-6, 1e-9, "loss vs double definition");
            Close(GaussianSquaredError(logits, x), GaussianSigmoidKernels.SquaredError(logits, x), 2e-6, 1e-9, "SquaredError");
        }
    }

    [Fact]
    public void GaussianGradientMatchesFloat64FiniteDifferences()
    {
        var rng = new Random(12);
        var logits = Uniform(rng, 37, -4, 4);
        var x = Uniform(rng, 37, 0, 1);
        var grad = new float[37];
        GaussianSigmoidKernels.LossAndGradient(logits, x, grad, GradScale);
        // The gradient is of gradScale · ½ Σ (x − μ)².
        var numeric = FiniteDifference(logits, l => GradScale * 0.5 * GaussianSquaredError(l, x));
        Close(numeric, grad, 1e-4, 1e-7, "dLogits vs finite differences");
    }

    [Fact]
    public void GaussianPerRowErrorScoresEveryRowAgainstTheSharedTarget()
    {
        var rng = new Random(13);
        foreach (var d in new[] { 7, 33, 784 })
        {
            const int rows = 5;
            var logits = Uniform(rng, rows * d, -5, 5);
            var x = Uniform(rng, d, 0, 1);
            var simd = new double[rows];
            var scalar = new double[rows];
            GaussianSigmoidKernels.SquaredErrorPerRow(logits, x, simd);
            GaussianSigmoidKernels.SquaredErrorPerRowScalar(logits, x, scalar);
            for (var r = 0; r < rows; r++)
            {
                var expected = GaussianSquaredError(logits.AsSpan(r * d, d).ToArray(), x);
                Close(expected, simd[r], 2e-6, 1e-9, $"row {r} (D={d})");
                Close(expected, scalar[r], 2e-6, 1e-9, $"scalar row {r} (D={d})");
            }
        }
    }

    [Fact]
    public void BernoulliLossAndGradientMatchTheScalarTwinAndCrossEntropy()
    {
        var rng = new Random(14);
        foreach (var n in OddLengths)
        {
            var logits = Uniform(rng, n, -8, 8);
            var x = Uniform(rng, n, 0, 1).Select(v => v < 0.4f ? 0f : 1f).ToArray();
            var simd = new float[n];
            var scalar = new float[n];
            var lossSimd = BernoulliLogitKernels.LossAndGradient(logits, x, simd, GradScale);
            var lossScalar = BernoulliLogitKernels.LossAndGradientScalar(logits, x, scalar, GradScale);
            // sigmoid(l) − x cancels when the prediction is right: absolute agreement to gradScale · ulp(1).
            Close(scalar, simd, 2e-6, GradScale * 3e-7, "SIMD vs scalar dLogits");
            Close(lossScalar, lossSimd, 2e-6, 1e-6, "SIMD vs scalar loss");
            Close(CrossEntropy(logits, x), lossSimd, 2e-6, 1e-6, "loss vs double cross-entropy");
        }
    }

    [Fact]
    public void BernoulliGradientMatchesFloat64FiniteDifferences()
    {
        var rng = new Random(15);
        var logits = Uniform(rng, 41, -6, 6);
        var x = Uniform(rng, 41, 0, 1);   // soft targets are allowed too
        var grad = new float[41];
        BernoulliLogitKernels.LossAndGradient(logits, x, grad, GradScale);
        var numeric = FiniteDifference(logits, l => GradScale * CrossEntropy(l, x));
        Close(numeric, grad, 1e-4, 1e-7, "dLogits vs finite differences");
    }

    [Fact]
    public void BernoulliStaysFiniteAtExtremeLogits()
    {
        float[] logits = [-200f, -90f, -20f, 0f, 20f, 90f, 200f, 1e30f, -1e30f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 3f];
        var x = logits.Select((_, i) => i % 2 == 0 ? 1f : 0f).ToArray();
        var grad = new float[logits.Length];
        var loss = BernoulliLogitKernels.LossAndGradient(logits, x, grad, 1f);
        Assert.True(double.IsFinite(loss));
        Assert.All(grad, g => Assert.True(float.IsFinite(g) && Math.Abs(g) <= 1f));
        Close(CrossEntropy(logits, x), loss, 1e-6, 1e-3, "extreme-logit loss");
    }

    [Fact]
    public void BernoulliPerRowLogLikelihoodIsMinusTheCrossEntropyOfEachRow()
    {
        var rng = new Random(16);
        const int rows = 4, d = 50;
        var logits = Uniform(rng, rows * d, -5, 5);
        var x = Uniform(rng, d, 0, 1).Select(v => v < 0.5f ? 0f : 1f).ToArray();
        var simd = new double[rows];
        var scalar = new double[rows];
        BernoulliLogitKernels.LogLikelihoodPerRow(logits, x, simd);
        BernoulliLogitKernels.LogLikelihoodPerRowScalar(logits, x, scalar);
        for (var r = 0; r < rows; r++)
        {
            var expected = -CrossEntropy(logits.AsSpan(r * d, d).ToArray(), x);
            Close(expected, simd[r], 2e-6, 1e-6, $"row {r}");
            Close(expected, scalar[r], 2e-6, 1e-6, $"scalar row {r}");
        }
    }

    [Fact]
    public void PerRowKernelsRejectLogitsThatAreNotWholeRows()
    {
        var ex = Assert.Throws<ArgumentException>(() => GaussianSigmoidKernels.SquaredErrorPerRow(new float[10], new float[3], new double[3]));
        Assert.Contains("logits has 10 elements", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => BernoulliLogitKernels.LogLikelihoodPerRow(new float[9], new float[3], new double[2]));
        Assert.Contains("perRow", ex.Message);
    }

    /// <summary>gradScale · (μ − x) · μ(1 − μ) in double; μ(1 − μ) cancels near saturation, hence the absolute slack.</summary>
    private static float[] GaussianGradient(float[] logits, float[] x) => logits.Select((l, i) =>
    {
        var m = 1 / (1 + Math.Exp(-(double)l));
        return (float)(GradScale * (m - x[i]) * m * (1 - m));
    }).ToArray();

    private static double GaussianSquaredError(float[] logits, float[] x) => GaussianSquaredError(logits.Select(v => (double)v).ToArray(), x);

    private static double GaussianSquaredError(double[] logits, float[] x)
    {
        var sum = 0.0;
        for (var i = 0; i < logits.Length; i++)
        {
            var r = x[i] - 1 / (1 + Math.Exp(-logits[i]));
            sum += r * r;
        }
        return sum;
    }

    private static double CrossEntropy(float[] logits, float[] x) => CrossEntropy(logits.Select(v => (double)v).ToArray(), x);

    /// <summary>−Σ [x log p + (1 − x) log(1 − p)], p = sigmoid(l), in the overflow-free double form.</summary>
    private static double CrossEntropy(double[] logits, float[] x)
    {
        var sum = 0.0;
        for (var i = 0; i < logits.Length; i++)
        {
            var l = logits[i];
            sum += Math.Max(l, 0) - x[i] * l + Math.Log(1 + Math.Exp(-Math.Abs(l)));
        }
        return sum;
    }

    private static float[] FiniteDifference(float[] at, Func<double[], double> f)
    {
        var point = at.Select(v => (double)v).ToArray();
        var gradient = new float[at.Length];
        const double h = 1e-5;
        for (var i = 0; i < point.Length; i++)
        {
            var keep = point[i];
            point[i] = keep + h;
            var up = f(point);
            point[i] = keep - h;
            var down = f(point);
            point[i] = keep;
            gradient[i] = (float)((up - down) / (2 * h));
        }
        return gradient;
    }
}
