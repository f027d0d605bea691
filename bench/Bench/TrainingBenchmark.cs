using VaeSweep.Model;
using VaeSweep.Model.Data;

namespace VaeSweep.Bench;

/// <summary>
/// Training throughput of the reference configuration through the public engine API. Epochs are cut to
/// <see cref="BenchOptions.Samples"/> examples so a run takes seconds; the first epoch warms the JIT up and is
/// not counted unless it is the only one. Samples/s is the engine's own training-only figure (validation excluded).
/// </summary>
internal static class TrainingBenchmark
{
    public static void Run(BenchOptions options)
    {
        var splits = Load(options, options.Samples);
        var config = new TrialConfig { Threads = options.Threads, Epochs = options.Epochs, Seed = options.Seed };
        var trainer = VaeTrainer.Create(config, splits);
        Console.WriteLine($"training 784-400-20 gaussian σ=0.1, batch 128, Adam 1e-3: {splits.TrainIndices.Count} examples/epoch, threads {options.Threads}");
        var best = 0.0;
        for (var epoch = 1; epoch <= options.Epochs; epoch++)
        {
            var outcome = trainer.TrainEpoch();
            if (outcome.Metrics is not { } metrics)
                throw new InvalidOperationException($"training diverged: {outcome.Divergence}");
            Console.WriteLine($"epoch {epoch}: {metrics.SamplesPerSecond,9:F0} samples/s   train ELBO {metrics.TrainElbo,9:F2}   " +
                              $"validation ELBO {metrics.ValidationElbo,9:F2}   wall {metrics.WallSeconds:F2} s");
            if (epoch > 1 || options.Epochs == 1) best = Math.Max(best, metrics.SamplesPerSecond);
        }
        Console.WriteLine($"RESULT train_samples_per_s={best:F1}");
    }

    /// <summary>The same held-out split as the PyTorch script's size: 10 000 validation examples, the rest for training.</summary>
    public static DataSplits Load(BenchOptions options, int trainLimit)
    {
        var (train, test) = IdxDataset.Load(options.DataDirectory);
        return DataSplits.Create(train, test, options.Validation, splitSeed: 1, trainLimit: trainLimit);
    }
}
