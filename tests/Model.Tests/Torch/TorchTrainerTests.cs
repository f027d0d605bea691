using VaeSweep.Model.Tests.TestSupport;
using VaeSweep.Model.Torch;
using static VaeSweep.Model.Tests.VaeTrainerTests;

namespace VaeSweep.Model.Tests.Torch;

/// <summary>The torch engine on its own: learning, bits, checkpoints, divergence, cancellation.</summary>
public class TorchTrainerTests
{
    private static TrialConfig Torch(TrialConfig config) => config with { Engine = Engine.Torch };

    [Theory]
    [InlineData(Likelihood.Gaussian, Binarization.None, Architecture.Mlp)]
    [InlineData(Likelihood.Bernoulli, Binarization.Dynamic, Architecture.Mlp)]
    [InlineData(Likelihood.Gaussian, Binarization.None, Architecture.Conv)]
    [InlineData(Likelihood.Bernoulli, Binarization.Static, Architecture.Conv)]
    public void Training_lowers_the_loss(Likelihood likelihood, Binarization binarization, Architecture arch)
    {
        using var trainer = TorchTrainer.Create(Torch(Small(likelihood, binarization)) with { Arch = arch }, SyntheticImages.BarSplits());
        var first = Untimed(trainer.TrainEpoch());
        var last = first;
        for (var e = 0; e < 7; e++) last = Untimed(trainer.TrainEpoch());
        Assert.Equal(8, trainer.EpochsCompleted);
        Assert.True(last.TrainObjective < first.TrainObjective - 2, $"train objective {first.TrainObjective} → {last.TrainObjective}");
        Assert.True(last.ValidationElbo > first.ValidationElbo + 2, $"validation ELBO {first.ValidationElbo} → {last.ValidationElbo}");
        var estimate = trainer.EstimateLogLikelihood(Split.Test);
        Assert.True(estimate.MeanElbo < estimate.Mean, $"ELBO {estimate.MeanElbo} vs IS {estimate.Mean}");
    }

    [Theory]
    [InlineData(Architecture.Mlp)]
    [InlineData(Architecture.Conv)]
    public void Same_config_is_bit_identical_and_another_seed_differs(Architecture arch)
    {
        var data = SyntheticImages.BarSplits();
        var config = Torch(Small(Likelihood.Bernoulli, Binarization.Dynamic)) with { Arch = arch };
        using var a = TorchTrainer.Create(config, data);
        using var b = TorchTrainer.Create(config, data);
        using var c = TorchTrainer.Create(config with { Seed = 6 }, data);
        for (var e = 0; e < 2; e++)
        {
            var ma = Untimed(a.TrainEpoch());
            Assert.Equal(ma, Untimed(b.TrainEpoch()));
            Assert.NotEqual(ma, Untimed(c.TrainEpoch()));
        }
        Assert.Equal(a.SaveCheckpoint(), b.SaveCheckpoint());
        Assert.Equal(a.EstimateLogLikelihood(Split.Test).PerExample, b.EstimateLogLikelihood(Split.Test).PerExample);
    }

    [Theory]
    [InlineData(Architecture.Mlp)]
    [InlineData(Architecture.Conv)]
    public void Resuming_a_checkpoint_continues_bit_for_bit(Architecture arch)
    {
        var data = SyntheticImages.BarSplits();
        var config = Torch(Small(Likelihood.Bernoulli, Binarization.Dynamic)) with { Arch = arch };
        using var straight = TorchTrainer.Create(config, data);
        using var first = TorchTrainer.Create(config, data);
        straight.TrainEpoch();
        first.TrainEpoch();
        var checkpoint = first.SaveCheckpoint();
        using var resumed = TorchTrainer.Resume(config, data, checkpoint);
        Assert.Equal(1, resumed.EpochsCompleted);
        for (var e = 0; e < 2; e++) Assert.Equal(Untimed(straight.TrainEpoch()), Untimed(resumed.TrainEpoch()));
        Assert.Equal(straight.SaveCheckpoint(), resumed.SaveCheckpoint());
        Assert.Equal(straight.EstimateLogLikelihood(Split.Validation).PerExample, resumed.EstimateLogLikelihood(Split.Validation).PerExample);
    }

    [Fact]
    public void A_checkpoint_resumes_only_on_the_engine_that_wrote_it()
    {
        var data = SyntheticImages.BarSplits();
        var native = VaeTrainer.Create(Small(), data);
        native.TrainEpoch();
        var onTorch = Assert.Throws<CheckpointException>(() => TorchTrainer.Resume(Torch(Small()), data, native.SaveCheckpoint()));
        Assert.Contains("written by the native engine", onTorch.Message);

        using var torch = TorchTrainer.Create(Torch(Small()), data);
        torch.TrainEpoch();
        var onNative = Assert.Throws<CheckpointException>(() => VaeTrainer.Resume(Small(), data, torch.SaveCheckpoint()));
        Assert.Contains("written by the torch engine", onNative.Message);

        using var conv = TorchTrainer.Create(Torch(Small()) with { Arch = Architecture.Conv }, data);
        conv.TrainEpoch();
        var onMlp = Assert.Throws<CheckpointException>(() => TorchTrainer.Resume(Torch(Small()), data, conv.SaveCheckpoint()));
        Assert.Contains("arch: checkpoint conv, now mlp", onMlp.Message);
    }

    [Fact]
    public void A_corrupt_checkpoint_is_refused()
    {
        var data = SyntheticImages.BarSplits();
        using var trainer = TorchTrainer.Create(Torch(Small()), data);
        trainer.TrainEpoch();
        var bytes = trainer.SaveCheckpoint();
        bytes[bytes.Length / 2] ^= 1;
        var e = Assert.Throws<CheckpointException>(() => TorchTrainer.Resume(Torch(Small()), data, bytes));
        Assert.Contains("checksum", e.Message);
    }

    [Fact]
    public void A_diverging_run_reports_where_and_stays_diverged()
    {
        var config = Torch(Small()) with { LearningRate = 1e6, Sigma = 1e-3 };
        using var trainer = TorchTrainer.Create(config, SyntheticImages.BarSplits());
        EpochOutcome outcome = default!;
        for (var e = 0; e < 5 && !(outcome = trainer.TrainEpoch()).Diverged; e++) { }
        Assert.True(outcome.Diverged, "a learning rate of 1e6 should diverge within 5 epochs");
        Assert.Matches(@"(objective is|validation ELBO is) .* (at|after) epoch \d", outcome.Divergence);
        Assert.Equal(outcome.Divergence, trainer.TrainEpoch().Divergence);
        Assert.Throws<InvalidOperationException>(() => trainer.EstimateLogLikelihood(Split.Test));
    }

    [Fact]
    public void Cancelling_mid_epoch_leaves_the_trainer_unusable_but_a_checkpoint_resumes()
    {
        var data = SyntheticImages.BarSplits();
        using var trainer = TorchTrainer.Create(Torch(Small()), data);
        trainer.TrainEpoch();
        var checkpoint = trainer.SaveCheckpoint();
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.Throws<OperationCanceledException>(() => trainer.TrainEpoch(cancelled.Token));
        Assert.Throws<InvalidOperationException>(() => trainer.SaveCheckpoint());
        using var resumed = TorchTrainer.Resume(Torch(Small()), data, checkpoint);
        Assert.False(resumed.TrainEpoch().Diverged);
    }

    [Fact]
    public void The_numerics_stamp_names_libtorch_and_the_threads()
    {
        using var trainer = TorchTrainer.Create(Torch(Small()) with { Threads = 2 }, SyntheticImages.BarSplits());
        Assert.Equal($"torch {TorchSharp.torch.__version__}, threads 2", trainer.EngineDescriptor);
        Assert.Equal(trainer.EngineDescriptor, TrainerFactory.Descriptor(Engine.Torch, 2));
        Assert.Null(TrainerFactory.Unavailability(Engine.Torch));
    }

    [Fact]
    public void Conv_needs_image_sides_divisible_by_four()
    {
        var odd = VaeSweep.Model.Data.DataSplits.Create(SyntheticImages.Bars(60, rows: 6, columns: 10), SyntheticImages.Bars(10, rows: 6, columns: 10), 10, 1);
        var e = Assert.Throws<ArgumentException>(() => { using var _ = TorchTrainer.Create(Torch(Small()) with { Arch = Architecture.Conv }, odd); });
        Assert.Contains("6×10", e.Message);
    }
}
