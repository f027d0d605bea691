using VaeSweep.Model.Tests.TestSupport;

namespace VaeSweep.Model.Tests;

public class VaeTrainerTests
{
    /// <summary>A small model that learns the 8×8 bar images in a few epochs.</summary>
    internal static TrialConfig Small(Likelihood likelihood = Likelihood.Gaussian, Binarization binarization = Binarization.None) => new()
    {
        Latent = 3, Hidden = [32], Likelihood = likelihood, Binarization = binarization, Sigma = 0.3,
        LearningRate = 3e-3, BatchSize = 16, Seed = 5, ImportanceSamples = 64, EvalExamples = 20,
    };

    /// <summary>Metrics without the wall-clock fields, which legitimately differ between runs.</summary>
    internal static EpochMetrics Untimed(EpochOutcome outcome)
    {
        Assert.False(outcome.Diverged, outcome.Divergence);
        return outcome.Metrics! with { WallSeconds = 0, SamplesPerSecond = 0 };
    }

    [Theory]
    [InlineData(Likelihood.Gaussian, Binarization.None, Activation.Relu)]
    [InlineData(Likelihood.Gaussian, Binarization.None, Activation.Tanh)]
    [InlineData(Likelihood.Bernoulli, Binarization.Static, Activation.Softplus)]
    [InlineData(Likelihood.Bernoulli, Binarization.Dynamic, Activation.Relu)]
    public void Training_lowers_the_loss(Likelihood likelihood, Binarization binarization, Activation activation)
    {
        var trainer = VaeTrainer.Create(Small(likelihood, binarization) with { Activation = activation }, SyntheticImages.BarSplits());
        var first = Untimed(trainer.TrainEpoch());
        EpochMetrics last = first;
        for (var e = 0; e < 7; e++) last = Untimed(trainer.TrainEpoch());
        Assert.Equal(8, trainer.EpochsCompleted);
        Assert.Equal(8, last.Epoch);
        Assert.True(last.TrainObjective < first.TrainObjective - 2, $"train objective {first.TrainObjective} → {last.TrainObjective}");
        Assert.True(last.ValidationElbo > first.ValidationElbo + 2, $"validation ELBO {first.ValidationElbo} → {last.ValidationElbo}");
    }

    [Fact]
    public void Metrics_are_consistent()
    {
        var config = Small() with { Beta = 0.5 };
        var trainer = VaeTrainer.Create(config, SyntheticImages.BarSplits(train: 160), new EngineOptions { Time = new SteppingTimeProvider(TimeSpan.FromSeconds(2)) });
        var m = trainer.TrainEpoch().Metrics!;
        Assert.Equal(1, m.Epoch);
        Assert.Equal(-(m.TrainRecon + m.TrainKl), m.TrainElbo, 1e-9);
        Assert.Equal(m.TrainRecon + 0.5 * m.TrainKl, m.TrainObjective, 1e-9);
        Assert.Equal(-(m.ValidationRecon + m.ValidationKl), m.ValidationElbo, 1e-9);
        Assert.True(m.TrainKl > 0 && m.ValidationKl > 0);
        // The clock is read at the start, after training and at the end: 2 s of training, 4 s in all.
        Assert.Equal(4, m.WallSeconds);
        Assert.Equal(160 / 2.0, m.SamplesPerSecond);
    }

    [Fact]
    public void Same_seed_is_bit_identical_and_another_seed_differs()
    {
        var data = SyntheticImages.BarSplits();
        var config = Small(Likelihood.Bernoulli, Binarization.Dynamic);
        var a = VaeTrainer.Create(config, data);
        var b = VaeTrainer.Create(config, data);
        var c = VaeTrainer.Create(config with { Seed = 6 }, data);
        for (var e = 0; e < 2; e++)
        {
            var ma = Untimed(a.TrainEpoch());
            Assert.Equal(ma, Untimed(b.TrainEpoch()));
            Assert.NotEqual(ma, Untimed(c.TrainEpoch()));
        }
        Assert.Equal(a.SaveCheckpoint(), b.SaveCheckpoint());
        Assert.Equal(a.EstimateLogLikelihood(Split.Test).PerExample, b.EstimateLogLikelihood(Split.Test).PerExample);
    }

    [Fact]
    public void Thread_count_does_not_change_the_numbers()
    {
        var data = SyntheticImages.BarSplits();
        var config = Small() with { Hidden = [96, 64], BatchSize = 40 };
        var one = VaeTrainer.Create(config, data);
        var two = VaeTrainer.Create(config with { Threads = 2 }, data);
        Assert.Equal(Untimed(one.TrainEpoch()), Untimed(two.TrainEpoch()));
        Assert.Equal(Untimed(one.TrainEpoch()), Untimed(two.TrainEpoch()));

        // The estimate spreads whole examples over the threads; three threads on this machine's two cores still
        // give the same bits.
        var three = VaeTrainer.Create(config with { Threads = 3 }, data);
        three.TrainEpoch();
        three.TrainEpoch();
        var expected = one.EstimateLogLikelihood(Split.Validation);
        Assert.Equal(expected.PerExample, two.EstimateLogLikelihood(Split.Validation).PerExample);
        var estimate = three.EstimateLogLikelihood(Split.Validation);
        Assert.Equal(expected.PerExample, estimate.PerExample);
        Assert.Equal((expected.Mean, expected.StandardError, expected.MeanElbo), (estimate.Mean, estimate.StandardError, estimate.MeanElbo));
    }

    [Fact]
    public void Measuring_does_not_disturb_training()
    {
        var data = SyntheticImages.BarSplits();
        var measured = VaeTrainer.Create(Small(), data);
        var plain = VaeTrainer.Create(Small(), data);
        measured.TrainEpoch();
        plain.TrainEpoch();
        var first = measured.EstimateLogLikelihood(Split.Validation);
        var again = measured.EstimateLogLikelihood(Split.Validation);
        Assert.Equal(first.PerExample, again.PerExample);
        measured.EstimateLogLikelihood(Split.Test);
        Assert.Equal(Untimed(plain.TrainEpoch()), Untimed(measured.TrainEpoch()));
    }

    [Fact]
    public void Estimate_uses_the_first_examples_of_the_split()
    {
        var data = SyntheticImages.BarSplits(validation: 40, test: 40);
        var trainer = VaeTrainer.Create(Small() with { EvalExamples = 12 }, data);
        var some = trainer.EstimateLogLikelihood(Split.Test);
        Assert.Equal(("test", 12, 64, 12), (some.Split, some.Examples, some.ImportanceSamples, some.PerExample.Length));
        var all = VaeTrainer.Create(Small() with { EvalExamples = 0 }, data).EstimateLogLikelihood(Split.Test);
        Assert.Equal(40, all.Examples);
        Assert.Equal(some.PerExample, all.PerExample[..12]);   // same ε stream, so a prefix is a prefix
        var capped = VaeTrainer.Create(Small() with { EvalExamples = 1000 }, data).EstimateLogLikelihood(Split.Validation);
        Assert.Equal(("validation", 40), (capped.Split, capped.Examples));
        Assert.Equal(all.PerExample.Average(), all.Mean, 1e-9);
        var sd = Math.Sqrt(all.PerExample.Sum(v => (v - all.Mean) * (v - all.Mean)) / 39);
        Assert.Equal(sd / Math.Sqrt(40), all.StandardError, 1e-9);
    }

    [Theory]
    [InlineData(Likelihood.Gaussian, Binarization.None)]
    [InlineData(Likelihood.Bernoulli, Binarization.Dynamic)]
    public void Trained_elbo_is_below_the_importance_sampled_log_likelihood(Likelihood likelihood, Binarization binarization)
    {
        var trainer = VaeTrainer.Create(Small(likelihood, binarization) with { ImportanceSamples = 500 }, SyntheticImages.BarSplits());
        for (var e = 0; e < 6; e++) trainer.TrainEpoch();
        foreach (var split in new[] { Split.Validation, Split.Test })
        {
            var estimate = trainer.EstimateLogLikelihood(split);
            Assert.True(estimate.MeanElbo < estimate.Mean, $"{split}: ELBO {estimate.MeanElbo} vs IS {estimate.Mean}");
            Assert.All(estimate.PerExample, v => Assert.True(double.IsFinite(v)));
            // A single-sample bound and a 500-sample one should not be wildly apart on a model this small.
            Assert.True(estimate.Mean - estimate.MeanElbo < 20, $"{split}: gap {estimate.Mean - estimate.MeanElbo}");
        }
    }

    [Theory]
    [InlineData(1e30, 0.3)]     // the first Adam step throws the weights to ±1e30
    [InlineData(1e-3, 1e-30)]   // 1/σ² overflows float
    public void Numeric_blow_up_is_reported_as_divergence(double learningRate, double sigma)
    {
        var trainer = VaeTrainer.Create(Small() with { LearningRate = learningRate, Sigma = sigma }, SyntheticImages.BarSplits());
        EpochOutcome outcome = new(null, null);
        for (var e = 0; e < 3 && !outcome.Diverged; e++) outcome = trainer.TrainEpoch();
        Assert.True(outcome.Diverged);
        Assert.Null(outcome.Metrics);
        Assert.Matches(@"^(objective is (NaN|[+-]infinity) at epoch 1, step \d+|validation ELBO is .* after epoch 1)", outcome.Divergence);
        Assert.Equal(0, trainer.EpochsCompleted);
        Assert.Equal(outcome.Divergence, trainer.TrainEpoch().Divergence);
        Assert.Throws<InvalidOperationException>(() => trainer.SaveCheckpoint());
        Assert.Throws<InvalidOperationException>(() => trainer.EstimateLogLikelihood(Split.Test));
    }

    [Fact]
    public void Cancellation_throws_and_leaves_the_trainer_unusable()
    {
        var trainer = VaeTrainer.Create(Small(), SyntheticImages.BarSplits());
        trainer.TrainEpoch();
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => trainer.TrainEpoch(cancelled.Token));
        Assert.ThrowsAny<OperationCanceledException>(() => VaeTrainer.Create(Small(), SyntheticImages.BarSplits()).EstimateLogLikelihood(Split.Test, cancelled.Token));
        var e = Assert.Throws<InvalidOperationException>(() => trainer.TrainEpoch());
        Assert.Contains("epoch 2 was cancelled", e.Message);
        Assert.Throws<InvalidOperationException>(() => trainer.SaveCheckpoint());
    }

    [Fact]
    public void Invalid_configuration_is_rejected_with_every_fault()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            VaeTrainer.Create(Small() with { Latent = 0, LearningRate = -1 }, SyntheticImages.BarSplits()));
        Assert.Contains("latent: must be at least 1", e.Message);
        Assert.Contains("lr: must be a positive number", e.Message);
    }

    [Fact]
    public void A_last_partial_batch_is_trained()
    {
        // 161 examples in batches of 16: ten full batches and one of a single example.
        var data = SyntheticImages.BarSplits(train: 161);
        var trainer = VaeTrainer.Create(Small(), data, new EngineOptions { Time = new SteppingTimeProvider(TimeSpan.FromSeconds(1)) });
        var m = trainer.TrainEpoch().Metrics!;
        Assert.Equal(11, trainer.OptimizerSteps);
        Assert.Equal(161, m.SamplesPerSecond);   // all 161 examples in the one "second" of training
        trainer.TrainEpoch();
        Assert.Equal(22, trainer.OptimizerSteps);
    }

    [Fact]
    public void An_epoch_allocates_only_its_result()
    {
        // Buffers are preallocated: after a warm-up epoch, a whole epoch allocates only the ~200 bytes of returned
        // records. With 40 batches, any per-batch object (24 bytes at least) would push it past the bound.
        var trainer = VaeTrainer.Create(Small(Likelihood.Bernoulli, Binarization.Dynamic) with { BatchSize = 4 }, SyntheticImages.BarSplits());
        trainer.TrainEpoch();
        trainer.TrainEpoch();
        var before = GC.GetAllocatedBytesForCurrentThread();
        trainer.TrainEpoch();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 1_000, $"an epoch of 40 batches allocated {allocated} bytes");
    }
}
