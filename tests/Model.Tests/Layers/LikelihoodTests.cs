using VaeSweep.Model.Layers;
using VaeSweep.Model.Randomness;
using VaeSweep.Model.Tests.TestSupport;
using static VaeSweep.Model.Tests.TestSupport.TensorAssert;

namespace VaeSweep.Model.Tests.Layers;

/// <summary>Both decoder likelihoods: values against the textbook formulas, gradients against finite differences.</summary>
public class LikelihoodTests
{
    // 37 is not a multiple of any vector width, so the scalar tail is exercised too.
    private const int D = 37;

    private static float[] Logits(bool extreme)
    {
        var rng = Xoshiro256StarStar.FromSeed(21);
        var l = Enumerable.Range(0, D).Select(_ => (float)(2 * rng.NextGaussian())).ToArray();
        if (extreme) { l[0] = 25; l[1] = -25; l[2] = 18; l[3] = -18; }
        return l;
    }

    private static float[] Grey()
    {
        var rng = Xoshiro256StarStar.FromSeed(22);
        return Enumerable.Range(0, D).Select(_ => rng.NextSingle()).ToArray();
    }

    private static float[] Binary()
    {
        var rng = Xoshiro256StarStar.FromSeed(23);
        return Enumerable.Range(0, D).Select(_ => rng.NextSingle() < 0.4f ? 1f : 0f).ToArray();
    }

    [Theory]
    [InlineData(0.1, false)]
    [InlineData(0.5, false)]
    [InlineData(0.3, true)]
    public void Gaussian_value_and_gradient(double sigma, bool linear)
    {
        var likelihood = new GaussianLikelihood(D, sigma, linear);
        var logits = Logits(extreme: false);
        var x = Grey();
        var scratch = new float[likelihood.ScratchLength];
        var grad = new float[D];
        const float scale = 0.25f;

        var fused = likelihood.LogProbabilityAndGradient(logits, x, grad, scale, scratch);
        var plain = likelihood.LogProbability(logits, x, scratch);
        var l = Reference.ToDouble(logits);
        var xd = Reference.ToDouble(x);
        var expected = Reference.GaussianLogLikelihood(l, xd, sigma, linear);
        Assert.Equal(expected, fused, Math.Abs(expected) * 1e-5);
        Assert.Equal(expected, plain, Math.Abs(expected) * 1e-6);

        var fd = FiniteDifference.Gradient(l, () => -scale * Reference.GaussianLogLikelihood(l, xd, sigma, linear));
        CheckTensor(grad, fd, $"gaussian σ={sigma} linear={linear} ∂(−log p)/∂logits", 1e-4);
    }

    [Fact]
    public void Gaussian_normaliser_is_that_of_a_D_dimensional_normal()
    {
        // At x = mean the quadratic term vanishes, leaving −D/2·log(2πσ²).
        var likelihood = new GaussianLikelihood(D, 0.2, linearMean: true);
        var x = Grey();
        var value = likelihood.LogProbability(x, x, new float[likelihood.ScratchLength]);
        Assert.Equal(-0.5 * D * Math.Log(2 * Math.PI * 0.04), value, 1e-9);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Bernoulli_value_and_gradient(bool extreme)
    {
        var likelihood = new BernoulliLikelihood(D);
        var logits = Logits(extreme);
        var x = Binary();
        var scratch = new float[likelihood.ScratchLength];
        var grad = new float[D];
        const float scale = 0.5f;

        var fused = likelihood.LogProbabilityAndGradient(logits, x, grad, scale, scratch);
        var plain = likelihood.LogProbability(logits, x, scratch);
        var l = Reference.ToDouble(logits);
        var xd = Reference.ToDouble(x);
        var expected = Reference.BernoulliLogLikelihood(l, xd);
        Assert.Equal(expected, fused, Math.Abs(expected) * 1e-5);
        Assert.Equal(expected, plain, Math.Abs(expected) * 1e-6);

        var fd = FiniteDifference.Gradient(l, () => -scale * Reference.BernoulliLogLikelihood(l, xd));
        CheckTensor(grad, fd, $"bernoulli extreme={extreme} ∂(−log p)/∂logits", 1e-4);
    }

    [Fact]
    public void Bernoulli_is_finite_for_huge_logits()
    {
        var likelihood = new BernoulliLikelihood(4);
        var logits = new[] { 1e30f, -1e30f, 80f, -80f };
        var x = new[] { 1f, 0f, 0f, 1f };
        var grad = new float[4];
        var value = likelihood.LogProbabilityAndGradient(logits, x, grad, 1f, new float[8]);
        // The confident right answers cost nothing; the confident wrong ones cost |l| each.
        Assert.Equal(-160, value, 1e-3);
        Assert.Equal(new[] { 0f, 0f, 1f, -1f }, grad);
    }
}
