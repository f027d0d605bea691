using VaeSweep.Model.Data;
using VaeSweep.Model.Tests.Evaluation;
using VaeSweep.Model.Tests.TestSupport;
using VaeSweep.Model.Tests.Torch;
using VaeSweep.Model.Torch;

namespace VaeSweep.Model.Tests.Data;

/// <summary>
/// dataset.standardize and model.output: identity. Statistics come from the training split alone; the model sees
/// z-scored inputs; and the held-out estimate is a density of the data as given, log p(x) = log p(x') − Σ log s_d,
/// held to the closed form of probabilistic PCA (the linear-Gaussian VAE) on both engines.
/// </summary>
public class StandardizationTests
{
    private static DataSplits Standardized() =>
        DataSplits.Create(SyntheticImages.Noise(340, 2, 3, seed: 1), SyntheticImages.Noise(30, 2, 3, seed: 2), 40, splitSeed: 3, standardize: true);

    /// <summary>Mean and population standard deviation of each feature over the training indices, in double.</summary>
    private static (double[] Mean, double[] Std) TrainStatistics(DataSplits data)
    {
        var d = data.TrainFile.Dimension;
        var mean = new double[d];
        var std = new double[d];
        foreach (var i in data.TrainIndices)
            for (var j = 0; j < d; j++) mean[j] += data.TrainFile.Image(i)[j] / 255.0 / data.TrainIndices.Count;
        foreach (var i in data.TrainIndices)
            for (var j = 0; j < d; j++) std[j] += Math.Pow(data.TrainFile.Image(i)[j] / 255.0 - mean[j], 2) / data.TrainIndices.Count;
        return (mean, std.Select(Math.Sqrt).ToArray());
    }

    [Fact]
    public void Statistics_come_from_the_training_indices_only_and_batches_are_z_scored()
    {
        var data = Standardized();
        var (mean, std) = TrainStatistics(data);
        var x = new float[6];

        BatchLoader.Load(data.TrainFile, [data.ValidationIndices[0]], x, PixelMode.Grey, 0, null);

        for (var j = 0; j < 6; j++)
        {
            Assert.Equal(mean[j], data.Standardization!.Mean[j], 1e-5);
            Assert.Equal(std[j], data.Standardization!.Scale[j], 1e-5);
            Assert.Equal((data.TrainFile.Image(data.ValidationIndices[0])[j] / 255.0 - mean[j]) / std[j], x[j], 1e-4);
        }
        Assert.Equal(-std.Sum(Math.Log), data.LogJacobian, 1e-5);
        // Fitting on the validation indices gives other statistics, so the training-only fit is a real restriction.
        Assert.NotEqual(data.Standardization!.Mean[0], Standardization.Fit(data.TrainFile, data.ValidationIndices).Mean[0]);
    }

    [Fact]
    public void A_constant_feature_keeps_scale_one()
    {
        var set = ImageSet.FromValues([2f, 5f, 2f, 7f, 2f, 9f], null, 3, DataShape.Features(2));

        var fit = Standardization.Fit(set, [0, 1, 2]);

        Assert.Equal(1f, fit.Scale[0]);
        Assert.Equal(2f, fit.Mean[0]);
        Assert.Equal(-Math.Log(fit.Scale[1]), fit.LogJacobian, 1e-12);
    }

    /// <summary>log p(x) of the original test example: the pPCA density of its z-scored form, minus Σ log s_d.</summary>
    private static double[] ExactOfOriginal(Vae model, DataSplits data)
    {
        var (mean, std) = TrainStatistics(data);
        return Enumerable.Range(0, 30).Select(i =>
        {
            var image = data.Test.Image(i).ToArray();
            var z = Enumerable.Range(0, 6).Select(j => (image[j] / 255.0 - mean[j]) / std[j]).ToArray();
            return PpcaOracleTests.ExactLogLikelihood(model, z) - std.Sum(Math.Log);
        }).ToArray();
    }

    [Fact]
    public void Native_identity_output_on_standardised_data_estimates_the_density_of_the_data_as_given()
    {
        var data = Standardized();
        var trainer = VaeTrainer.Create(PpcaOracleTests.Config(samples: 2000) with { Output = Output.Identity }, data);
        PpcaOracleTests.SetExactModel(trainer.Model, inflation: 1);

        var estimate = trainer.EstimateLogLikelihood(Split.Test);

        var exact = ExactOfOriginal(trainer.Model, data);
        for (var i = 0; i < exact.Length; i++) Assert.Equal(exact[i], estimate.PerExample[i], 1e-3);
        Assert.Equal(exact.Average(), estimate.Mean, 1e-3);
        Assert.Equal(exact.Average(), estimate.MeanElbo, 0.05);
    }

    [Fact]
    public void Torch_identity_output_on_standardised_data_estimates_the_density_of_the_data_as_given()
    {
        var data = Standardized();
        var config = PpcaOracleTests.Config(samples: 2000) with { Output = Output.Identity };
        var native = VaeTrainer.Create(config, data);
        PpcaOracleTests.SetExactModel(native.Model, inflation: 1);
        using var torch = TorchTrainer.Create(config with { Engine = Engine.Torch }, data);
        TorchWeights.Load(torch.Network, native.Model.Parameters);

        var estimate = torch.EstimateLogLikelihood(Split.Test);

        var exact = ExactOfOriginal(native.Model, data);
        for (var i = 0; i < exact.Length; i++) Assert.Equal(exact[i], estimate.PerExample[i], 1e-3);
    }

    [Fact]
    public void Every_figure_of_a_standardised_run_is_the_prestandardised_run_plus_the_jacobian()
    {
        // The same inputs fed already z-scored (float data, no standardisation) train the same bits; only the units differ.
        var data = Standardized();
        ImageSet ZScored(ImageSet set)
        {
            var values = new float[set.Count * set.Dimension];
            BatchLoader.Load(set, Enumerable.Range(0, set.Count).ToArray(), values, PixelMode.Grey, 0, null);
            return ImageSet.FromValues(values, null, set.Count, set.Shape);
        }
        var plain = DataSplits.Create(ZScored(data.TrainFile), ZScored(data.Test), 40, splitSeed: 3);
        var config = PpcaOracleTests.Config(samples: 100) with { Output = Output.Identity, Hidden = [8], Activation = Activation.Relu };
        var standardized = VaeTrainer.Create(config, data);
        var prestandardized = VaeTrainer.Create(config, plain);
        var j = data.LogJacobian;

        var a = standardized.TrainEpoch().Metrics!;
        var b = prestandardized.TrainEpoch().Metrics!;
        var ea = standardized.EstimateLogLikelihood(Split.Validation);
        var eb = prestandardized.EstimateLogLikelihood(Split.Validation);

        Assert.NotEqual(0, j);
        Assert.Equal(prestandardized.Model.Parameters, standardized.Model.Parameters);
        Assert.Equal(b.ValidationElbo + j, a.ValidationElbo, 1e-9);
        Assert.Equal(b.TrainElbo + j, a.TrainElbo, 1e-9);
        Assert.Equal(b.ValidationRecon - j, a.ValidationRecon, 1e-9);
        Assert.Equal(b.TrainObjective - j, a.TrainObjective, 1e-9);
        Assert.Equal(b.ValidationKl, a.ValidationKl);
        Assert.Equal(eb.Mean + j, ea.Mean, 1e-9);
        Assert.Equal(eb.MeanElbo + j, ea.MeanElbo, 1e-9);
        Assert.Equal(eb.StandardError, ea.StandardError, 1e-12);
        for (var i = 0; i < ea.PerExample.Length; i++) Assert.Equal(eb.PerExample[i] + j, ea.PerExample[i], 1e-9);
    }

    [Fact]
    public void Identity_output_trains_and_its_gradient_matches_the_linear_mean_the_oracle_checks()
    {
        // output: identity is the engine's linear Gaussian mean (finite-difference checked by the layer tests) made public:
        // same seed, same data, same bits.
        var data = PpcaOracleTests.Data();
        var config = PpcaOracleTests.Config(samples: 50);
        var identity = VaeTrainer.Create(config with { Output = Output.Identity }, data);
        var linear = VaeTrainer.Create(config, data, PpcaOracleTests.Linear);
        var sigmoid = VaeTrainer.Create(config, data);

        var a = identity.TrainEpoch().Metrics!;
        var b = linear.TrainEpoch().Metrics!;
        var c = sigmoid.TrainEpoch().Metrics!;

        Assert.Equal(b.TrainObjective, a.TrainObjective);
        Assert.Equal(linear.Model.Parameters, identity.Model.Parameters);
        Assert.NotEqual(c.TrainObjective, a.TrainObjective);
    }

    [Fact]
    public void Bernoulli_with_identity_output_is_invalid()
    {
        var problems = new TrialConfig { Likelihood = Likelihood.Bernoulli, Binarization = Binarization.Static, Output = Output.Identity }.Validate();

        Assert.Contains("output: the bernoulli likelihood's probabilities are sigmoid(logits); use output: sigmoid", problems);
    }
}
