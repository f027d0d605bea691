using VaeSweep.Bench;

// Throughput benchmarks of the VAE engine; bench/run.sh runs them next to bench/pytorch_vae.py.
// Every measurement prints a human line and a machine line "RESULT <key>=<value>" that run.sh parses.
try
{
    var options = BenchOptions.Parse(args);
    switch (options.Mode)
    {
        case "gemm": GemmBenchmark.Run(options); break;
        case "train": TrainingBenchmark.Run(options); break;
        case "eval": EvaluationBenchmark.Run(options); break;
        case "ll": LikelihoodComparison.Run(options); break;
        case "whole": WholeProcessBenchmark.Run(options); break;
        default: throw new ArgumentException($"unknown mode '{options.Mode}'");
    }
    return 0;
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine($"bench: {ex.Message}");
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}
