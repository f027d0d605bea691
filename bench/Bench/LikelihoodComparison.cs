using System.Diagnostics;
using VaeSweep.Model;

namespace VaeSweep.Bench;

/// <summary>
/// Trains the reference configuration on the whole training split (60 000 − 10 000 held out) for
/// <see cref="BenchOptions.Epochs"/> epochs, then estimates log p(x) with K importance samples on the first
/// <see cref="BenchOptions.Examples"/> test examples — the same examples pytorch_vae.py scores, so the two
/// numbers can be compared directly.
/// </summary>
internal static class LikelihoodComparison
{
    public static void Run(BenchOptions options)
    {
        var splits = TrainingBenchmark.Load(options, trainLimit: 0);
        var config = new TrialConfig
        {
            Threads = options.Threads, Epochs = options.Epochs, Seed = options.Seed,
            ImportanceSamples = options.ImportanceSamples, EvalExamples = options.Examples,
        };
        var trainer = VaeTrainer.Create(config, splits);
        for (var epoch = 1; epoch <= options.Epochs; epoch++)
        {
            var outcome = trainer.TrainEpoch();
            if (outcome.Metrics is not { } m) throw new InvalidOperationException($"training diverged: {outcome.Divergence}");
            Console.WriteLine($"epoch {epoch}: train ELBO {m.TrainElbo:F2}  validation ELBO {m.ValidationElbo:F2}  " +
                              $"(recon {m.ValidationRecon:F2}, KL {m.ValidationKl:F2})  {m.SamplesPerSecond:F0} samples/s");
        }
        var watch = Stopwatch.StartNew();
        var estimate = trainer.EstimateLogLikelihood(Split.Test);
        Console.WriteLine($"test log p(x), K={options.ImportanceSamples}, first {estimate.Examples} examples: " +
                          $"{estimate.Mean:F2} ± {estimate.StandardError:F2} nats (ELBO {estimate.MeanElbo:F2}), {watch.Elapsed.TotalSeconds:F1} s");
        Console.WriteLine($"RESULT test_ll={estimate.Mean:F4}");
        Console.WriteLine($"RESULT test_ll_se={estimate.StandardError:F4}");
        Console.WriteLine($"RESULT test_elbo={estimate.MeanElbo:F4}");
    }
}
