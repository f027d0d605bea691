using System.Buffers.Binary;
using VaeSweep.Model.Tests.TestSupport;
using static VaeSweep.Model.Tests.VaeTrainerTests;

namespace VaeSweep.Model.Tests.Checkpoints;

public class CheckpointTests
{
    // 151 training examples × 3 latents = 453 normals per epoch: after an odd number of epochs the polar
    // method's spare normal is cached, so the checkpoint must carry it.
    private static readonly VaeSweep.Model.Data.DataSplits Data = SyntheticImages.BarSplits(train: 151);

    [Theory]
    [InlineData(Likelihood.Gaussian, Binarization.None, 2)]
    [InlineData(Likelihood.Bernoulli, Binarization.Dynamic, 2)]
    [InlineData(Likelihood.Gaussian, Binarization.None, 1)]
    public void Resuming_continues_exactly_the_uninterrupted_run(Likelihood likelihood, Binarization binarization, int before)
    {
        var data = Data;
        var config = Small(likelihood, binarization);
        var original = VaeTrainer.Create(config, data);
        for (var e = 0; e < before; e++) original.TrainEpoch();
        var checkpoint = original.SaveCheckpoint();
        var expected = new[] { Untimed(original.TrainEpoch()), Untimed(original.TrainEpoch()) };
        var finalBytes = original.SaveCheckpoint();

        var resumed = VaeTrainer.Resume(config, data, checkpoint);
        Assert.Equal(before, resumed.EpochsCompleted);
        Assert.Equal(expected, new[] { Untimed(resumed.TrainEpoch()), Untimed(resumed.TrainEpoch()) });
        Assert.Equal(finalBytes, resumed.SaveCheckpoint());
        Assert.Equal(original.EstimateLogLikelihood(Split.Validation).PerExample, resumed.EstimateLogLikelihood(Split.Validation).PerExample);
    }

    [Fact]
    public void Resume_may_change_threads_epochs_and_evaluation_settings()
    {
        var data = Data;
        var trainer = VaeTrainer.Create(Small(), data);
        trainer.TrainEpoch();
        var checkpoint = trainer.SaveCheckpoint();
        var resumed = VaeTrainer.Resume(Small() with { Threads = 2, Epochs = 50, ImportanceSamples = 7, EvalExamples = 3 }, data, checkpoint);
        Assert.Equal(1, resumed.EpochsCompleted);
        Assert.Equal(Untimed(trainer.TrainEpoch()), Untimed(resumed.TrainEpoch()));
    }

    [Fact]
    public void A_fresh_checkpoint_resumes_to_the_initial_state()
    {
        var data = Data;
        var trainer = VaeTrainer.Create(Small(), data);
        var resumed = VaeTrainer.Resume(Small(), data, trainer.SaveCheckpoint());
        Assert.Equal(0, resumed.EpochsCompleted);
        Assert.Equal(Untimed(trainer.TrainEpoch()), Untimed(resumed.TrainEpoch()));
    }

    [Fact]
    public void A_flipped_byte_fails_the_checksum()
    {
        var data = Data;
        var bytes = VaeTrainer.Create(Small(), data).SaveCheckpoint();
        foreach (var at in new[] { bytes.Length / 2, bytes.Length - 40, bytes.Length - 1 })
        {
            var corrupt = bytes.ToArray();
            corrupt[at] ^= 0x10;
            var e = Assert.Throws<CheckpointException>(() => VaeTrainer.Resume(Small(), data, corrupt));
            Assert.Contains("checksum", e.Message);
        }
    }

    [Fact]
    public void Another_format_version_is_refused_by_name()
    {
        var data = Data;
        var bytes = VaeTrainer.Create(Small(), data).SaveCheckpoint();
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), 2);
        var e = Assert.Throws<CheckpointException>(() => VaeTrainer.Resume(Small(), data, bytes));
        Assert.Contains("version 2", e.Message);
    }

    [Fact]
    public void Another_configuration_is_refused_naming_the_difference()
    {
        var data = Data;
        var bytes = VaeTrainer.Create(Small(), data).SaveCheckpoint();
        var e = Assert.Throws<CheckpointException>(() => VaeTrainer.Resume(Small() with { LearningRate = 0.01, Seed = 9 }, data, bytes));
        Assert.Contains("different configuration", e.Message);
        Assert.Contains("lr: checkpoint 0.003, now 0.01", e.Message);
        Assert.Contains("seed: checkpoint 5, now 9", e.Message);

        var otherData = SyntheticImages.BarSplits(train: 150);
        var d = Assert.Throws<CheckpointException>(() => VaeTrainer.Resume(Small(), otherData, bytes));
        Assert.Contains("train_examples: checkpoint 151, now 150", d.Message);

        var linear = Assert.Throws<CheckpointException>(() => VaeTrainer.Resume(Small(), data, bytes, new EngineOptions { LinearGaussianMean = true }));
        Assert.Contains("linear_gaussian_mean", linear.Message);
    }

    [Fact]
    public void Garbage_and_truncation_are_refused()
    {
        var data = Data;
        var bytes = VaeTrainer.Create(Small(), data).SaveCheckpoint();
        Assert.Contains("not a VaeSweep checkpoint", Assert.Throws<CheckpointException>(() => VaeTrainer.Resume(Small(), data, new byte[100])).Message);
        Assert.Contains("not a VaeSweep checkpoint", Assert.Throws<CheckpointException>(() => VaeTrainer.Resume(Small(), data, [])).Message);
        Assert.Throws<CheckpointException>(() => VaeTrainer.Resume(Small(), data, bytes[..(bytes.Length / 2)]));
        Assert.Throws<CheckpointException>(() => VaeTrainer.Resume(Small(), data, bytes[..20]));
    }
}
