using System.Diagnostics;
using VaeSweep.Model;

namespace VaeSweep.Bench;

/// <summary>
/// A whole trial as a silo runs it, from process start to exit: start-up, IDX load, <see cref="BenchOptions.Epochs"/>
/// full epochs (each with its validation ELBO), then the K-sample held-out estimate on the first
/// <see cref="BenchOptions.Examples"/> test examples. <see cref="BenchOptions.Trials"/> trials run side by side in
/// this one process, each on its own thread with <see cref="BenchOptions.Threads"/> kernel threads, over one shared
/// copy of the dataset — the silo's real case. run.sh times the process from outside (wall, peak RSS); the phases
/// printed here say where that time went.
/// </summary>
internal static class WholeProcessBenchmark
{
    public static void Run(BenchOptions options)
    {
        // Start-up: exec, runtime init and JIT up to here, against the kernel's record of when the process began.
        var startup = DateTime.Now - Process.GetCurrentProcess().StartTime;
        var clock = Stopwatch.StartNew();
        var splits = TrainingBenchmark.Load(options, trainLimit: 0);
        var load = clock.Elapsed;

        var config = ConfigFor(options);
        var trials = new TrialTimes[options.Trials];
        var threads = Enumerable.Range(0, options.Trials).Select(t => new Thread(() => trials[t] = RunTrial(config with { Seed = options.Seed + t }, splits, options.EstimateValidation))
        {
            Name = $"trial {t}",
        }).ToArray();
        foreach (var thread in threads) thread.Start();
        foreach (var thread in threads) thread.Join();
        var total = DateTime.Now - Process.GetCurrentProcess().StartTime;

        var samples = trials.Sum(t => t.TrainSamplesPerSecond);
        Console.WriteLine($"engine {options.Engine}, {options.Trials} trial(s) × {options.Threads} thread(s), {options.Epochs} epochs of " +
                          $"{splits.TrainIndices.Count} + K={options.ImportanceSamples} on {options.Examples} {(options.EstimateValidation ? "validation and " : "")}test examples, one dataset copy");
        Console.WriteLine($"start-up {startup.TotalSeconds:F2} s, data load {load.TotalSeconds:F2} s");
        for (var t = 0; t < trials.Length; t++)
        {
            var r = trials[t];
            Console.WriteLine($"trial {t}: train {r.Train:F2} s ({r.TrainSamplesPerSecond:F0} samples/s), validation {r.Validation:F2} s, " +
                              $"estimate {r.Estimate:F2} s (log p(x) {r.LogLikelihood:F2})");
        }
        Console.WriteLine($"whole process {total.TotalSeconds:F2} s (as seen from inside), peak RSS {PeakRssKilobytes() / 1024.0:F0} MiB");
        Console.WriteLine($"RESULT startup_s={startup.TotalSeconds:F3}");
        Console.WriteLine($"RESULT load_s={load.TotalSeconds:F3}");
        Console.WriteLine($"RESULT train_s={trials.Max(t => t.Train):F3}");
        Console.WriteLine($"RESULT validation_s={trials.Max(t => t.Validation):F3}");
        Console.WriteLine($"RESULT estimate_s={trials.Max(t => t.Estimate):F3}");
        Console.WriteLine($"RESULT train_samples_per_s={samples:F1}");
        Console.WriteLine($"RESULT inside_s={total.TotalSeconds:F3}");
        Console.WriteLine($"RESULT test_ll={trials[0].LogLikelihood:F4}");
    }

    /// <summary>The reference configuration on the engine named on the command line.</summary>
    private static TrialConfig ConfigFor(BenchOptions options)
    {
        var config = new TrialConfig
        {
            Threads = options.Threads, Epochs = options.Epochs, Seed = options.Seed,
            ImportanceSamples = options.ImportanceSamples, EvalExamples = options.Examples,
        };
        return options.Engine switch
        {
            "native" => config,
            "torch" => config with { Engine = Engine.Torch },
            _ => throw new ArgumentException($"--engine: '{options.Engine}' is not an engine of this build (native, torch)"),
        };
    }

    private static TrialTimes RunTrial(TrialConfig config, Model.Data.DataSplits splits, bool estimateValidation)
    {
        using var trainer = TrainerFactory.Create(config, splits);
        double train = 0, wall = 0;
        for (var epoch = 1; epoch <= config.Epochs; epoch++)
        {
            var outcome = trainer.TrainEpoch();
            if (outcome.Metrics is not { } m) throw new InvalidOperationException($"training diverged: {outcome.Divergence}");
            train += splits.TrainIndices.Count / m.SamplesPerSecond;
            wall += m.WallSeconds;
        }
        var clock = Stopwatch.StartNew();
        if (estimateValidation) trainer.EstimateLogLikelihood(Split.Validation);
        var estimate = trainer.EstimateLogLikelihood(Split.Test);
        return new TrialTimes(train, wall - train, clock.Elapsed.TotalSeconds, config.Epochs * splits.TrainIndices.Count / train, estimate.Mean);
    }

    /// <summary>VmHWM: the most resident memory this process has had.</summary>
    private static long PeakRssKilobytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        return 0;
    }

    private sealed record TrialTimes(double Train, double Validation, double Estimate, double TrainSamplesPerSecond, double LogLikelihood);
}
