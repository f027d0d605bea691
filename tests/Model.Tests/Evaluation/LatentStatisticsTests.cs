using VaeSweep.Model.Data;
using VaeSweep.Model.Evaluation;
using VaeSweep.Model.Tests.TestSupport;
using VaeSweep.Model.Torch;

namespace VaeSweep.Model.Tests.Evaluation;

/// <summary>
/// Active units, KL per unit, rate and distortion. The oracle is probabilistic PCA: a VAE with a linear encoder and a
/// linear Gaussian decoder of fixed σ has the pPCA optimum (Tipping &amp; Bishop 1999; Lucas et al. 2019), in which
/// latent direction i is used exactly when the data covariance's eigenvalue λ_i exceeds σ², and then
/// Var_x(E[z_i|x]) = 1 − σ²/λ_i; the rest collapse onto the prior. A β-weighted KL acts as σ² → βσ² in that closed form.
/// </summary>
public class LatentStatisticsTests
{
    private const int Rows = 3, Columns = 4, D = Rows * Columns, Latent = 8;
    private const double Sigma = 0.05;

    /// <summary>Variances of the three generating directions (orthogonal, so they are the covariance's top eigenvalues).</summary>
    private static readonly double[] Lambdas = [0.03, 0.02, 0.012];

    /// <summary>Per-pixel noise standard deviation: its variance 2.5e-5 is the other nine eigenvalues, far below σ².</summary>
    private const double Noise = 0.005;

    /// <summary>Three orthonormal patterns over the 12 pixels: ±1/√12 sign rows of a Hadamard-like matrix.</summary>
    private static readonly double[][] Patterns =
    [
        [.. Enumerable.Range(0, D).Select(p => 1 / Math.Sqrt(D))],
        [.. Enumerable.Range(0, D).Select(p => (p % 2 == 0 ? 1 : -1) / Math.Sqrt(D))],
        [.. Enumerable.Range(0, D).Select(p => (p / 2 % 2 == 0 ? 1 : -1) / Math.Sqrt(D))],
    ];

    /// <summary>The latent units the exact model puts the three directions on; the other five are collapsed.</summary>
    private static readonly int[] Units = [1, 4, 6];

    /// <summary>x = 0.5 + Σ_i √λ_i s_i u_i + noise, s ~ N(0, I₃), u_i orthonormal patterns over the 12 pixels, as bytes.</summary>
    private static ImageSet LinearGaussian(int count, int seed)
    {
        var rng = new Random(seed);
        double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        var pixels = new byte[count * D];
        for (var n = 0; n < count; n++)
        {
            var s = Lambdas.Select(l => Math.Sqrt(l) * Gaussian()).ToArray();
            for (var p = 0; p < D; p++)
            {
                var x = 0.5 + Noise * Gaussian();
                for (var i = 0; i < Lambdas.Length; i++) x += s[i] * Patterns[i][p];
                pixels[n * D + p] = (byte)Math.Clamp(Math.Round(255 * x), 0, 255);
            }
        }
        return new ImageSet(pixels, new byte[count], count, Rows, Columns);
    }

    private static DataSplits Data() => DataSplits.Create(LinearGaussian(2500, seed: 1), LinearGaussian(500, seed: 2), 500, splitSeed: 3);

    private static TrialConfig Config(double beta) => new()
    {
        Latent = Latent, Hidden = [], Activation = Activation.Identity, Likelihood = Likelihood.Gaussian, Sigma = Sigma, Beta = beta,
        LearningRate = 1e-2, BatchSize = 50, Epochs = 60, Seed = 5, ImportanceSamples = 50, EvalExamples = 500,
    };

    /// <summary>How many directions the pPCA closed form keeps at decoder variance βσ².</summary>
    private static int ClosedFormActive(double beta) => Lambdas.Count(l => l + Noise * Noise > beta * Sigma * Sigma);

    private static LogLikelihoodEstimate Trained(double beta, Engine engine = Engine.Native)
    {
        var config = Config(beta) with { Engine = engine };
        using var trainer = engine == Engine.Native
            ? (ITrainer)VaeTrainer.Create(config, Data(), PpcaOracleTests.Linear)
            : TorchTrainer.Create(config, Data(), PpcaOracleTests.Linear);
        for (var e = 0; e < config.Epochs; e++) Assert.False(trainer.TrainEpoch().Diverged);
        return trainer.EstimateLogLikelihood(Split.Validation);
    }

    /// <summary>
    /// Sets the 8-unit model to the closed-form optimum of the β-weighted objective: decoder columns √(λ_i − βσ²) u_i
    /// on <see cref="Units"/> where λ_i &gt; βσ² (zero elsewhere), encoder the exact posterior N(M⁻¹Wᵀ(x − b), βσ²M⁻¹),
    /// which on a used unit is mean (w_i/λ_i) u_iᵀ(x − b) and variance βσ²/λ_i, and on an unused one the prior.
    /// </summary>
    private static void SetClosedForm(Vae model, double beta)
    {
        var noise = beta * Sigma * Sigma;
        model.Output.Weight.Clear();
        model.Head.Weight.Clear();
        model.Head.Bias.Clear();
        for (var p = 0; p < D; p++) model.Output.Bias[p] = 0.5f;
        for (var i = 0; i < Lambdas.Length; i++)
        {
            var lambda = Lambdas[i] + Noise * Noise;
            if (lambda <= noise) continue;
            var w = Math.Sqrt(lambda - noise);
            var u = Units[i];
            for (var p = 0; p < D; p++)
            {
                model.Output.Weight[p * Latent + u] = (float)(w * Patterns[i][p]);
                model.Head.Weight[u * D + p] = (float)(w / lambda * Patterns[i][p]);
                model.Head.Bias[u] -= (float)(w / lambda * Patterns[i][p] * 0.5);
            }
            model.Head.Bias[Latent + u] = (float)Math.Log(noise / lambda);
        }
    }

    [Theory]
    [InlineData(1.0)]    // βσ² = 0.0025, below every λ: three of the eight units are used
    [InlineData(6.0)]    // βσ² = 0.015 sits between λ₂ = 0.02 and λ₃ = 0.012: the weakest direction collapses
    [InlineData(20.0)]   // βσ² = 0.05 is above every λ: everything collapses
    public void At_the_closed_form_optimum_the_units_ppca_keeps_are_the_active_ones(double beta)
    {
        var trainer = VaeTrainer.Create(Config(beta), Data(), PpcaOracleTests.Linear);
        SetClosedForm(trainer.Model, beta);
        var stats = trainer.EstimateLogLikelihood(Split.Validation).Latent!;
        Assert.Equal(ClosedFormActive(beta), stats.ActiveUnits);
        for (var i = 0; i < Lambdas.Length; i++)
        {
            var lambda = Lambdas[i] + Noise * Noise;
            // Var_x(E[z_u|x]) = 1 − βσ²/λ_i on a used unit; the 500 examples' sample variance is within ~6% of λ_i.
            var expected = Math.Max(0, 1 - beta * Sigma * Sigma / lambda);
            Assert.Equal(expected, stats.Activity[Units[i]], Math.Max(0.2 * expected, 1e-4));
            // KL of a used unit: ½(E[μ²] + σ_q² − 1 − log σ_q²) with σ_q² = βσ²/λ_i; an unused unit is the prior, KL 0.
            var variance = expected > 0 ? beta * Sigma * Sigma / lambda : 1;
            Assert.Equal(0.5 * (expected + variance - 1 - Math.Log(variance)), stats.KlPerDimension[Units[i]], 0.1);
        }
        foreach (var u in Enumerable.Range(0, Latent).Except(Units))
            Assert.Equal((0.0, 0.0), (stats.Activity[u], stats.KlPerDimension[u]));
    }

    [Theory]
    [InlineData(1.0, 3)]    // trained from the random start, eight units find the three directions
    [InlineData(20.0, 0)]   // and a β above every λ/σ² collapses them all
    public void Trained_from_scratch_the_model_finds_the_closed_form_count(double beta, int expected)
    {
        Assert.Equal(expected, ClosedFormActive(beta));
        var stats = Trained(beta).Latent!;
        Assert.True(expected == stats.ActiveUnits, $"activities {string.Join(" ", stats.Activity)}");
        Assert.InRange(stats.ActiveUnits, 0, stats.LatentSize);
    }

    [Fact]
    public void The_torch_engine_computes_the_same_statistics()
    {
        var native = Trained(beta: 1);
        var torch = Trained(beta: 1, Engine.Torch);
        Assert.Equal(native.Latent!.ActiveUnits, torch.Latent!.ActiveUnits);
        Assert.Equal(native.Latent.Rate, torch.Latent.Rate, native.Latent.Rate * 1e-2);
        Assert.Equal(native.Latent.Distortion, torch.Latent.Distortion, Math.Abs(native.Latent.Distortion) * 1e-2);
    }

    [Fact]
    public void Per_unit_kls_sum_to_the_rate_and_the_elbo_is_minus_rate_minus_distortion()
    {
        var estimate = Trained(beta: 1);
        var stats = estimate.Latent!;
        Assert.Equal(stats.KlPerDimension.Sum(), stats.Rate, 1e-12);
        Assert.Equal(-(stats.Rate + stats.Distortion), estimate.MeanElbo, 1e-9);
        Assert.InRange(stats.ActiveUnits, 0, stats.LatentSize);
        Assert.True(estimate.Mean >= estimate.MeanElbo - 3 * estimate.StandardError, "log p(x) should not be below the ELBO");
    }

    [Fact]
    public void Compute_matches_hand_worked_numbers()
    {
        // Two examples, two units. Unit 0: μ = ±0.5 (activity 0.25), σ² = 1; unit 1: μ = 0 both, σ² = e^−1.
        float[] stats = [0.5f, 0f, 0f, -1f, -0.5f, 0f, 0f, -1f];
        var s = LatentStatistics.Compute(stats, 2, [10, 12], threshold: 0.01);
        Assert.Equal([0.25, 0.0], s.Activity);
        Assert.Equal(0.5 * 0.25, s.KlPerDimension[0], 12);                        // ½(μ² + 1 − 1 − 0)
        Assert.Equal(0.5 * (Math.Exp(-1) - 1 + 1), s.KlPerDimension[1], 7);        // ½(0 + e^−1 − 1 + 1)
        Assert.Equal(1, s.ActiveUnits);
        Assert.Equal(11, s.Distortion);
        Assert.Equal(s.KlPerDimension.Sum(), s.Rate);
        Assert.Equal(0, LatentStatistics.Compute(stats, 2, [10, 12], threshold: 0.25).ActiveUnits);   // strictly above
        Assert.Throws<ArgumentException>(() => LatentStatistics.Compute(stats, 3, [10, 12], 0.01));
    }
}
