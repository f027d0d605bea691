using System.Diagnostics;
using VaeSweep.Model;

namespace VaeSweep.Bench;

/// <summary>
/// Importance-sampling throughput: examples/s of the K-sample log-likelihood estimate on the test split, with
/// freshly initialised weights (the cost does not depend on their values). A ten-example estimate first lets tiered
/// compilation reach optimised code (the decoder path runs only 4 times per example, so the first examples run
/// at tier 0 and took twice as long); a real estimate over 1000 examples amortises that the same way.
/// </summary>
internal static class EvaluationBenchmark
{
    public static void Run(BenchOptions options)
    {
        var splits = TrainingBenchmark.Load(options, trainLimit: 1280);
        var config = new TrialConfig
        {
            Threads = options.Threads, Seed = options.Seed, ImportanceSamples = options.ImportanceSamples, EvalExamples = 10,
        };
        VaeTrainer.Create(config, splits).EstimateLogLikelihood(Split.Test);

        var trainer = VaeTrainer.Create(config with { EvalExamples = options.Examples }, splits);
        var watch = Stopwatch.StartNew();
        var estimate = trainer.EstimateLogLikelihood(Split.Test);
        var seconds = watch.Elapsed.TotalSeconds;
        var rate = options.Examples / seconds;
        Console.WriteLine($"IS estimate, K={options.ImportanceSamples}, {options.Examples} test examples, threads {options.Threads}: " +
                          $"{seconds:F2} s, {rate:F2} examples/s (untrained log p(x) ≈ {estimate.Mean:F1})");
        Console.WriteLine($"RESULT eval_examples_per_s={rate:F3}");
    }
}
