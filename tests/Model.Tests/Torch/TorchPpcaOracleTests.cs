using VaeSweep.Model.Tests.Evaluation;
using VaeSweep.Model.Torch;

namespace VaeSweep.Model.Tests.Torch;

/// <summary>
/// The torch engine against the closed-form linear-Gaussian (probabilistic PCA) case of <see cref="PpcaOracleTests"/>:
/// the exact model's weights are set on a native network and copied in, and trained torch weights are copied out to
/// evaluate the exact likelihood.
/// </summary>
public class TorchPpcaOracleTests
{
    [Fact]
    public void With_the_exact_posterior_every_importance_weight_is_p_of_x()
    {
        var data = PpcaOracleTests.Data();
        var config = PpcaOracleTests.Config(samples: 2000) with { Engine = Engine.Torch };
        var native = VaeTrainer.Create(config with { Engine = Engine.Native }, data, PpcaOracleTests.Linear);
        PpcaOracleTests.SetExactModel(native.Model, inflation: 1);
        using var torch = TorchTrainer.Create(config, data, PpcaOracleTests.Linear);
        TorchWeights.Load(torch.Network, native.Model.Parameters);
        var estimate = torch.EstimateLogLikelihood(Split.Test);
        var exact = PpcaOracleTests.Exact(native.Model, data);
        for (var i = 0; i < exact.Length; i++) Assert.Equal(exact[i], estimate.PerExample[i], 1e-3);
        Assert.Equal(exact.Average(), estimate.MeanElbo, 0.05);
    }

    [Fact]
    public void After_training_the_estimate_matches_the_exact_likelihood_of_the_learned_decoder()
    {
        var data = PpcaOracleTests.Data();
        var config = PpcaOracleTests.Config(samples: 1000) with { Engine = Engine.Torch };
        using var torch = TorchTrainer.Create(config, data, PpcaOracleTests.Linear);
        var first = torch.TrainEpoch();
        for (var e = 0; e < 39; e++) Assert.False(torch.TrainEpoch().Diverged);
        var estimate = torch.EstimateLogLikelihood(Split.Test);
        var learned = VaeTrainer.Create(config with { Engine = Engine.Native }, data, PpcaOracleTests.Linear);
        TorchWeights.Flatten(torch.Network).CopyTo(learned.Model.Parameters, 0);
        var exact = PpcaOracleTests.Exact(learned.Model, data);
        PpcaOracleTests.AssertWithinStandardErrors(estimate, exact);
        Assert.True(estimate.MeanElbo <= exact.Average(), $"ELBO {estimate.MeanElbo} above exact {exact.Average()}");
        Assert.True(exact.Average() > first.Metrics!.ValidationElbo, "training should have raised the likelihood");
    }
}
