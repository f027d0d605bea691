using VaeSweep.Model.Tests.TestSupport;
using VaeSweep.Model.Torch;
using static VaeSweep.Model.Tests.TestSupport.TensorAssert;
using static VaeSweep.Model.Tests.VaeTrainerTests;

namespace VaeSweep.Model.Tests.Torch;

/// <summary>
/// The two engines on the same trial. They share the initial weights, the data order and every random draw, so the
/// only difference is float rounding in libtorch's kernels against the native ones: they start bit-identical, agree
/// to float precision after a few hundred Adam steps, and end within each other's standard error.
/// </summary>
public class EngineAgreementTests
{
    [Theory]
    [InlineData(Likelihood.Gaussian, Binarization.None, Activation.Relu)]
    [InlineData(Likelihood.Bernoulli, Binarization.Dynamic, Activation.Tanh)]
    public void An_mlp_starts_from_the_native_weights_bit_for_bit(Likelihood likelihood, Binarization binarization, Activation activation)
    {
        var config = Small(likelihood, binarization) with { Activation = activation, Hidden = [24, 16] };
        var data = SyntheticImages.BarSplits();
        var native = VaeTrainer.Create(config, data);
        using var torch = TorchTrainer.Create(config with { Engine = Engine.Torch }, data);
        Assert.Equal(native.Model.Parameters, TorchWeights.Flatten(torch.Network));
    }

    [Theory]
    [InlineData(Likelihood.Gaussian, Binarization.None, Activation.Relu)]
    [InlineData(Likelihood.Gaussian, Binarization.None, Activation.Softplus)]
    [InlineData(Likelihood.Bernoulli, Binarization.Dynamic, Activation.Tanh)]
    public void One_epoch_matches_the_native_engine(Likelihood likelihood, Binarization binarization, Activation activation)
    {
        var config = Small(likelihood, binarization) with { Activation = activation, Beta = 0.7 };
        var data = SyntheticImages.BarSplits();
        var native = VaeTrainer.Create(config, data);
        using var torch = TorchTrainer.Create(config with { Engine = Engine.Torch }, data);
        var n = Untimed(native.TrainEpoch());
        var t = Untimed(torch.TrainEpoch());
        double[] Numbers(EpochMetrics m) => [m.TrainObjective, m.TrainElbo, m.TrainKl, m.TrainRecon, m.ValidationElbo, m.ValidationKl, m.ValidationRecon];
        CheckTensor(Numbers(t), Numbers(n), "epoch 1 metrics, torch vs native", 1e-4);
        CheckTensor(TorchWeights.Flatten(torch.Network), [.. native.Model.Parameters.Select(v => (double)v)], "weights after 10 Adam steps", 1e-3);
    }

    [Fact]
    public void Held_out_log_likelihoods_agree_within_the_standard_error()
    {
        var config = Small() with { ImportanceSamples = 200, EvalExamples = 40 };
        var data = SyntheticImages.BarSplits();
        var native = VaeTrainer.Create(config, data);
        using var torch = TorchTrainer.Create(config with { Engine = Engine.Torch }, data);
        for (var e = 0; e < 5; e++)
        {
            Assert.False(native.TrainEpoch().Diverged);
            Assert.False(torch.TrainEpoch().Diverged);
        }
        var a = native.EstimateLogLikelihood(Split.Test);
        var b = torch.EstimateLogLikelihood(Split.Test);
        Assert.Equal((a.Examples, a.ImportanceSamples), (b.Examples, b.ImportanceSamples));
        var se = Math.Min(a.StandardError, b.StandardError);
        Assert.True(Math.Abs(a.Mean - b.Mean) <= se, $"native {a.Mean} ± {a.StandardError}, torch {b.Mean} ± {b.StandardError}");
        // Same ε per example: the per-example estimates agree far more tightly than the spread between examples.
        CheckTensor(b.PerExample, a.PerExample, "per-example log p(x), torch vs native", 1e-3);
    }

    [Theory]
    [InlineData(Likelihood.Bernoulli, Binarization.Static)]
    [InlineData(Likelihood.Gaussian, Binarization.None)]
    public void Given_the_same_weights_the_estimators_agree_per_example(Likelihood likelihood, Binarization binarization)
    {
        // Not a consequence of shared training: trained native weights loaded into a fresh torch trainer.
        var config = Small(likelihood, binarization) with { ImportanceSamples = 300 };
        var data = SyntheticImages.BarSplits();
        var native = VaeTrainer.Create(config, data);
        for (var e = 0; e < 3; e++) native.TrainEpoch();
        using var torch = TorchTrainer.Create(config with { Engine = Engine.Torch }, data);
        TorchWeights.Load(torch.Network, native.Model.Parameters);
        var n = native.EstimateLogLikelihood(Split.Validation);
        var t = torch.EstimateLogLikelihood(Split.Validation);
        CheckTensor(t.PerExample, n.PerExample, "per-example log p(x) at the same weights", 1e-5);
        Assert.Equal(n.MeanElbo, t.MeanElbo, 1e-3);
    }
}
