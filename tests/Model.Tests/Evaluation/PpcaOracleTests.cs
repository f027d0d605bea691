using VaeSweep.Model.Data;
using VaeSweep.Model.Tests.TestSupport;

namespace VaeSweep.Model.Tests.Evaluation;

/// <summary>
/// With no hidden layers, identity activation and a linear Gaussian mean, the VAE is probabilistic PCA:
/// p(x) = N(x; b, WWᵀ + σ²I) exactly, and the posterior p(z|x) = N(M⁻¹Wᵀ(x − b), σ²M⁻¹) with M = WᵀW + σ²I.
/// These tests hold the importance-sampling estimator and the ELBO to those closed forms.
/// </summary>
public class PpcaOracleTests
{
    private const int D = 6, Z = 2, Examples = 30;
    private const double Sigma = 0.3;
    internal static readonly EngineOptions Linear = new() { LinearGaussianMean = true };

    internal static TrialConfig Config(int samples) => new()
    {
        Latent = Z, Hidden = [], Activation = Activation.Identity, Likelihood = Likelihood.Gaussian, Sigma = Sigma,
        LearningRate = 1e-2, BatchSize = 25, Seed = 3, ImportanceSamples = samples, EvalExamples = Examples,
    };

    internal static DataSplits Data() =>
        DataSplits.Create(SyntheticImages.Noise(340, 2, 3, seed: 1), SyntheticImages.Noise(Examples, 2, 3, seed: 2), 40, splitSeed: 3);

    /// <summary>Sets W with orthogonal columns (so the exact posterior is diagonal) and the encoder to that posterior,
    /// its variances multiplied by <paramref name="inflation"/>.</summary>
    internal static void SetExactModel(Vae model, double inflation)
    {
        // Orthogonal columns of lengths 0.8 and 0.4 from Gram–Schmidt on fixed vectors.
        double[] u = [0.5, 0.4, -0.3, 0.2, 0.6, -0.1], v = [0.1, -0.5, 0.4, 0.6, 0.0, 0.3];
        var uu = Dot(u, u);
        var uv = Dot(u, v);
        v = v.Select((x, i) => x - uv / uu * u[i]).ToArray();
        u = u.Select(x => x * 0.8 / Math.Sqrt(uu)).ToArray();
        var vNorm = Math.Sqrt(Dot(v, v));
        v = v.Select(x => x * 0.4 / vNorm).ToArray();
        double[][] columns = [u, v];
        double[] b = [0.45, 0.5, 0.55, 0.5, 0.4, 0.6];

        var w = model.Output.Weight;   // [D, Z]
        for (var i = 0; i < D; i++)
        for (var j = 0; j < Z; j++)
            w[i * Z + j] = (float)columns[j][i];
        for (var i = 0; i < D; i++) model.Output.Bias[i] = (float)b[i];

        var head = model.Head.Weight;  // [2Z, D]: μ rows, then log σ² rows
        head.Clear();
        for (var j = 0; j < Z; j++)
        {
            var m = Dot(columns[j], columns[j]) + Sigma * Sigma;
            for (var i = 0; i < D; i++) head[j * D + i] = (float)(columns[j][i] / m);
            model.Head.Bias[j] = (float)(-Dot(columns[j], b) / m);
            model.Head.Bias[Z + j] = (float)Math.Log(inflation * Sigma * Sigma / m);
        }
    }

    /// <summary>log N(x; b, WWᵀ + σ²I) in double via Cholesky, from the model's current decoder.</summary>
    private static double ExactLogLikelihood(Vae model, ReadOnlySpan<byte> image)
    {
        var x = new double[image.Length];
        for (var i = 0; i < x.Length; i++) x[i] = image[i] / 255f;
        return ExactLogLikelihood(model, x);
    }

    /// <summary>log N(x; b, WWᵀ + σ²I) for a model input x given in double.</summary>
    internal static double ExactLogLikelihood(Vae model, double[] x)
    {
        var w = model.Output.Weight;
        var c = new double[D, D];
        for (var i = 0; i < D; i++)
        for (var k = 0; k < D; k++)
        {
            var sum = i == k ? Sigma * Sigma : 0;
            for (var j = 0; j < Z; j++) sum += (double)w[i * Z + j] * w[k * Z + j];
            c[i, k] = sum;
        }
        var l = new double[D, D];
        for (var i = 0; i < D; i++)
        for (var k = 0; k <= i; k++)
        {
            var sum = c[i, k];
            for (var p = 0; p < k; p++) sum -= l[i, p] * l[k, p];
            l[i, k] = i == k ? Math.Sqrt(sum) : sum / l[k, k];
        }
        var y = new double[D];
        var logDet = 0.0;
        var quadratic = 0.0;
        for (var i = 0; i < D; i++)
        {
            var sum = x[i] - model.Output.Bias[i];
            for (var p = 0; p < i; p++) sum -= l[i, p] * y[p];
            y[i] = sum / l[i, i];
            quadratic += y[i] * y[i];
            logDet += 2 * Math.Log(l[i, i]);
        }
        return -0.5 * (D * Math.Log(2 * Math.PI) + logDet + quadratic);
    }

    internal static double[] Exact(Vae model, DataSplits data) =>
        Enumerable.Range(0, Examples).Select(i => ExactLogLikelihood(model, data.Test.Image(i))).ToArray();

    private static double Dot(double[] a, double[] b) => a.Zip(b, (x, y) => x * y).Sum();

    [Fact]
    public void With_the_exact_posterior_every_importance_weight_is_p_of_x()
    {
        var data = Data();
        var trainer = VaeTrainer.Create(Config(samples: 2000), data, Linear);
        SetExactModel(trainer.Model, inflation: 1);
        var estimate = trainer.EstimateLogLikelihood(Split.Test);
        var exact = Exact(trainer.Model, data);
        for (var i = 0; i < Examples; i++) Assert.Equal(exact[i], estimate.PerExample[i], 1e-3);
        // ELBO = log p(x) when q is the posterior; the only error left is the K-sample mean of the recon term.
        Assert.Equal(exact.Average(), estimate.MeanElbo, 0.05);
    }

    [Fact]
    public void With_an_overdispersed_posterior_the_estimate_is_unbiased_and_the_elbo_is_lower_by_the_kl()
    {
        var data = Data();
        var trainer = VaeTrainer.Create(Config(samples: 2000), data, Linear);
        SetExactModel(trainer.Model, inflation: 2);
        var estimate = trainer.EstimateLogLikelihood(Split.Test);
        var exact = Exact(trainer.Model, data);
        AssertWithinStandardErrors(estimate, exact);
        // KL(q ‖ p(z|x)) for a variance ratio of 2 in each of Z dimensions: Z·½(2 − 1 − ln 2).
        var gap = Z * 0.5 * (1 - Math.Log(2));
        Assert.Equal(exact.Average() - gap, estimate.MeanElbo, 0.05);
    }

    [Fact]
    public void After_training_the_estimate_matches_the_exact_likelihood_of_the_learned_decoder()
    {
        var data = Data();
        var trainer = VaeTrainer.Create(Config(samples: 1000), data, Linear);
        var first = trainer.TrainEpoch();
        for (var e = 0; e < 39; e++) Assert.False(trainer.TrainEpoch().Diverged);
        var estimate = trainer.EstimateLogLikelihood(Split.Test);
        var exact = Exact(trainer.Model, data);
        AssertWithinStandardErrors(estimate, exact);
        Assert.True(estimate.MeanElbo <= exact.Average(), $"ELBO {estimate.MeanElbo} above exact {exact.Average()}");
        Assert.True(exact.Average() > first.Metrics!.ValidationElbo, "training should have raised the likelihood");
    }

    /// <summary>Mean of (estimate − exact) within 3 standard errors of zero, and no example far off.</summary>
    internal static void AssertWithinStandardErrors(LogLikelihoodEstimate estimate, double[] exact)
    {
        var d = estimate.PerExample.Zip(exact, (a, b) => a - b).ToArray();
        var mean = d.Average();
        var se = Math.Sqrt(d.Sum(v => (v - mean) * (v - mean)) / (d.Length - 1) / d.Length);
        Assert.True(Math.Abs(mean) <= 3 * se + 1e-3, $"mean(IS − exact) = {mean}, SE {se}");
        Assert.All(d, v => Assert.InRange(v, -0.1, 0.1));
    }
}
