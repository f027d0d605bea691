namespace VaeSweep.Bench;

/// <summary>Command line of the benchmark: a mode and --name value pairs, every value validated here.</summary>
internal sealed record BenchOptions
{
    public const string Usage = """
        usage: bench <mode> [options]
          gemm   GEMM GFLOP/s for the reference shapes       --threads 1 --seconds 0.3
          train  training samples/s (reference config)       --threads 2 --samples 25600 --epochs 3
          eval   importance-sampling examples/s (K samples)  --threads 2 --examples 20 --k 1000
          ll     train on the full split, then IS log-likelihood of the first N test examples
                                                             --threads 2 --epochs 10 --examples 1000 --k 1000
          whole  a whole process: load, --epochs full epochs with validation, IS on --examples test examples;
                 --trials trials side by side in this process, each with --threads threads
                                                             --trials 1 --threads 2 --epochs 3 --examples 1000 --k 1000
                                                             --engine native --validation 10000 --estimates test|both
          common: --data /usr/share/datasets/fashion-mnist --seed 1
        """;

    public string Mode { get; init; } = "";
    public int Threads { get; init; } = 2;
    public double Seconds { get; init; } = 0.3;
    /// <summary>Training examples per epoch (the rest of the file is unused); 0 means the whole split.</summary>
    public int Samples { get; init; } = 25_600;
    public int Epochs { get; init; } = 3;
    public int Examples { get; init; } = 20;
    public int ImportanceSamples { get; init; } = 1000;
    public int Seed { get; init; } = 1;
    public string DataDirectory { get; init; } = "/usr/share/datasets/fashion-mnist";
    /// <summary>Trials run side by side in one process (whole).</summary>
    public int Trials { get; init; } = 1;
    /// <summary>The engine that trains (whole): native or torch.</summary>
    public string Engine { get; init; } = "native";

    /// <summary>Examples held out of the training file, as in the PyTorch script (which also trains on the rest).</summary>
    public int Validation { get; init; } = 10_000;
    /// <summary>Whole: also estimate the first --examples validation examples, as a `vaesweep run` trial does.</summary>
    public bool EstimateValidation { get; init; }

    public static BenchOptions Parse(string[] args)
    {
        if (args.Length == 0) throw new ArgumentException("missing mode");
        var options = new BenchOptions { Mode = args[0] };
        for (var i = 1; i < args.Length; i += 2)
        {
            if (i + 1 >= args.Length) throw new ArgumentException($"option {args[i]} needs a value");
            var value = args[i + 1];
            options = args[i] switch
            {
                "--threads" => options with { Threads = Positive(args[i], value) },
                "--seconds" => options with { Seconds = double.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var s) && s > 0 ? s : throw new ArgumentException($"--seconds: expected a positive number, got '{value}'") },
                "--samples" => options with { Samples = NonNegative(args[i], value) },
                "--epochs" => options with { Epochs = Positive(args[i], value) },
                "--examples" => options with { Examples = Positive(args[i], value) },
                "--k" => options with { ImportanceSamples = Positive(args[i], value) },
                "--seed" => options with { Seed = NonNegative(args[i], value) },
                "--data" => options with { DataDirectory = value },
                "--trials" => options with { Trials = Positive(args[i], value) },
                "--engine" => options with { Engine = value },
                "--validation" => options with { Validation = Positive(args[i], value) },
                "--estimates" => options with { EstimateValidation = value switch
                {
                    "test" => false,
                    "both" => true,
                    _ => throw new ArgumentException($"--estimates: expected test or both, got '{value}'"),
                } },
                _ => throw new ArgumentException($"unknown option '{args[i]}'"),
            };
        }
        return options;
    }

    private static int Positive(string name, string value) =>
        int.TryParse(value, out var v) && v > 0 ? v : throw new ArgumentException($"{name}: expected a positive integer, got '{value}'");

    private static int NonNegative(string name, string value) =>
        int.TryParse(value, out var v) && v >= 0 ? v : throw new ArgumentException($"{name}: expected a non-negative integer, got '{value}'");
}
