using VaeSweep.Model.Tests.TestSupport;

namespace VaeSweep.Model.Tests;

public class TrainedVaeTests
{
    private static (TrialConfig Config, VaeTrainer Trainer) Trained(int epochs, TrialConfig? config = null)
    {
        config ??= VaeTrainerTests.Small();
        var trainer = VaeTrainer.Create(config, SyntheticImages.BarSplits());
        for (var e = 0; e < epochs; e++) Assert.False(trainer.TrainEpoch().Diverged);
        return (config, trainer);
    }

    [Fact]
    public void Decoding_the_encoder_mean_gives_the_mean_the_likelihood_scores()
    {
        // Oracle: with ε = 0 the engine's own reconstruction term is −log N(x; m, σ²I) at z = μ. The image
        // TrainedVae decodes must be that m, so the closed-form Gaussian of it gives the same number.
        var (config, trainer) = Trained(3);
        var data = SyntheticImages.BarSplits();
        var vae = TrainedVae.FromCheckpoint(config, data, trainer.SaveCheckpoint());
        const int n = 5;
        var x = vae.TestImages(n);
        var recon = vae.ReconstructTest(n);

        var model = trainer.Model;
        var ws = new VaeWorkspace(model, n);
        x.CopyTo(ws.X, 0);
        Array.Clear(ws.Eps);
        model.Forward(ws, n);
        model.Reconstruction(ws, n);

        int d = vae.Dimension;
        var sigma = config.Sigma;
        for (var r = 0; r < n; r++)
        {
            var squares = 0.0;
            for (var j = 0; j < d; j++) squares += Math.Pow(x[r * d + j] - recon[r * d + j], 2);
            var minusLogP = 0.5 * d * Math.Log(2 * Math.PI * sigma * sigma) + squares / (2 * sigma * sigma);
            Assert.Equal(ws.Recon[r], minusLogP, 1e-3 * Math.Abs(ws.Recon[r]));
        }
    }

    [Fact]
    public void Encoder_means_are_the_mu_half_of_the_head()
    {
        var (config, trainer) = Trained(2);
        // The test file is not part of what a checkpoint is checked against, so a larger one fits.
        var vae = TrainedVae.FromCheckpoint(config, SyntheticImages.BarSplits(test: 80), trainer.SaveCheckpoint());
        const int n = 70; // more than one internal chunk
        var means = vae.EncodeTestMeans(n);
        Assert.Equal(n * config.Latent, means.Length);

        var model = trainer.Model;
        var ws = new VaeWorkspace(model, n);
        vae.TestImages(n).CopyTo(ws.X, 0);
        model.Encode(ws, n);
        for (var r = 0; r < n; r++)
            for (var k = 0; k < config.Latent; k++)
                Assert.Equal(ws.Stats[r * 2 * config.Latent + k], means[r * config.Latent + k]);
    }

    [Fact]
    public void Training_makes_reconstructions_closer_to_the_images()
    {
        var data = SyntheticImages.BarSplits();
        var (config, untrained) = Trained(0);
        var (_, trained) = Trained(8);
        double Error(VaeTrainer t)
        {
            var vae = TrainedVae.FromCheckpoint(config, data, t.SaveCheckpoint());
            var x = vae.TestImages(40);
            var m = vae.ReconstructTest(40);
            return x.Zip(m, (a, b) => (double)(a - b) * (a - b)).Sum();
        }

        var before = Error(untrained);
        var after = Error(trained);
        Assert.True(after < 0.7 * before, $"squared error {before} untrained, {after} after 8 epochs");
    }

    [Fact]
    public void Prior_samples_are_images_fixed_by_their_seed()
    {
        var (config, trainer) = Trained(1);
        var vae = TrainedVae.FromCheckpoint(config, SyntheticImages.BarSplits(), trainer.SaveCheckpoint());
        var a = vae.SamplePrior(6, seed: 3);
        Assert.Equal(6 * vae.Dimension, a.Length);
        Assert.All(a, p => Assert.InRange(p, 0f, 1f));
        Assert.Equal(a, vae.SamplePrior(6, seed: 3));
        Assert.NotEqual(a, vae.SamplePrior(6, seed: 4));
        Assert.Equal(1, vae.EpochsCompleted);
    }

    [Fact]
    public void Labels_are_the_test_files()
    {
        var data = SyntheticImages.BarSplits();
        var (config, trainer) = Trained(0);
        var vae = TrainedVae.FromCheckpoint(config, data, trainer.SaveCheckpoint());
        Assert.Equal(data.Test.Labels.Span[..7].ToArray(), vae.TestLabels(7));
        Assert.Throws<ArgumentOutOfRangeException>(() => vae.TestLabels(data.Test.Count + 1));
    }

    [Fact]
    public void Another_configurations_checkpoint_or_foreign_bytes_are_refused()
    {
        var (config, trainer) = Trained(0);
        var data = SyntheticImages.BarSplits();
        var other = Assert.Throws<CheckpointException>(() =>
            TrainedVae.FromCheckpoint(config with { Latent = 4 }, data, trainer.SaveCheckpoint()));
        Assert.Contains("latent", other.Message);
        Assert.True(TrainedVae.IsNativeCheckpoint(trainer.SaveCheckpoint()));
        Assert.False(TrainedVae.IsNativeCheckpoint("PK\u0003\u0004torch"u8));
        var foreign = Assert.Throws<CheckpointException>(() => TrainedVae.FromCheckpoint(config, data, "PK\u0003\u0004torch"u8));
        Assert.Contains("not a VaeSweep checkpoint", foreign.Message);
    }

    [Fact]
    public void Weights_only_decode_exactly_as_the_checkpoint_at_about_a_third_of_its_size()
    {
        var (config, trainer) = Trained(3);
        var data = SyntheticImages.BarSplits();
        var checkpoint = trainer.SaveCheckpoint();
        var weights = TrainedVae.WeightsOnly(checkpoint);
        Assert.True(TrainedVae.IsNativeCheckpoint(weights));
        Assert.InRange(weights.Length, checkpoint.Length / 3 - 200, checkpoint.Length / 3 + 200);

        var full = TrainedVae.FromCheckpoint(config, data, checkpoint);
        var slim = TrainedVae.FromCheckpoint(config, data, weights);

        Assert.Equal(3, slim.EpochsCompleted);
        Assert.Equal(full.EncodeTestMeans(10), slim.EncodeTestMeans(10));
        Assert.Equal(full.ReconstructTest(10), slim.ReconstructTest(10));
        Assert.Equal(full.SamplePrior(5, 9), slim.SamplePrior(5, 9));
    }

    [Fact]
    public void Weights_only_cannot_resume_and_are_checked_like_a_checkpoint()
    {
        var (config, trainer) = Trained(1);
        var data = SyntheticImages.BarSplits();
        var weights = TrainedVae.WeightsOnly(trainer.SaveCheckpoint());

        Assert.Contains("not a VaeSweep checkpoint", Assert.Throws<CheckpointException>(() => VaeTrainer.Resume(config, data, weights)).Message);
        Assert.Contains("latent", Assert.Throws<CheckpointException>(() => TrainedVae.FromCheckpoint(config with { Latent = 4 }, data, weights)).Message);
        weights[^40] ^= 1;
        Assert.Contains("checksum", Assert.Throws<CheckpointException>(() => TrainedVae.FromCheckpoint(config, data, weights)).Message);
        Assert.Throws<CheckpointException>(() => TrainedVae.WeightsOnly(weights));   // only a full checkpoint slims
    }
}
