using System.Diagnostics;
using System.Runtime.Intrinsics;
using VaeSweep.Model.Kernels;

namespace VaeSweep.Bench;

/// <summary>
/// GFLOP/s (2·m·n·k per product) of every GEMM the reference configuration runs, next to the measured
/// register-only FMA peak of one core. Best of several timed rounds: the host is shared, so the minimum time
/// is the most repeatable statistic.
/// </summary>
internal static class GemmBenchmark
{
    private static readonly (string Name, bool TransA, bool TransB, int M, int N, int K)[] Shapes =
    [
        ("fwd enc 784→400", false, true, 128, 400, 784),
        ("fwd heads 400→40", false, true, 128, 40, 400),
        ("fwd dec 20→400", false, true, 128, 400, 20),
        ("fwd dec 400→784", false, true, 128, 784, 400),
        ("dX dec 784→400", false, false, 128, 400, 784),
        ("dX heads 40→400", false, false, 128, 400, 40),
        ("dX dec 400→20", false, false, 128, 20, 400),
        ("dW enc 784→400", true, false, 400, 784, 128),
        ("dW heads", true, false, 40, 400, 128),
        ("dW dec 20→400", true, false, 400, 20, 128),
        ("dW dec 400→784", true, false, 784, 400, 128),
        ("IS dec 20→400", false, true, 1000, 400, 20),
        ("IS dec 400→784", false, true, 1000, 784, 400),
    ];

    public static void Run(BenchOptions options)
    {
        var peak = MeasurePeak();
        Console.WriteLine($"FMA peak (registers only, one core): {peak:F1} GFLOP/s; threads = {options.Threads}");
        Console.WriteLine($"{"shape",-18} {"m×n×k",-16} {"op",-3} {"µs",9} {"GFLOP/s",8} {"% core peak",11}");
        var rng = new Random(1);
        double totalFlops = 0, totalSeconds = 0;
        foreach (var (name, transA, transB, m, n, k) in Shapes)
        {
            var a = Random(rng, m * k);
            var b = Random(rng, k * n);
            var c = new float[m * n];
            var flops = 2.0 * m * n * k;
            var seconds = Time(() => Gemm.Multiply(transA, transB, m, n, k, a, b, c, false, options.Threads), flops, options.Seconds);
            var gflops = flops / seconds / 1e9;
            // The IS shapes are per 1000 samples, not per training step: they are not in the step total.
            if (!name.StartsWith("IS", StringComparison.Ordinal)) { totalFlops += flops; totalSeconds += seconds; }
            Console.WriteLine($"{name,-18} {$"{m}×{n}×{k}",-16} {(transA ? "T" : "N")}{(transB ? "T" : "N"),-2} {seconds * 1e6,9:F1} {gflops,8:F1} {100 * gflops / peak / options.Threads,10:F0}%");
            Console.WriteLine($"RESULT gemm_{m}x{n}x{k}_{(transA ? "T" : "N")}{(transB ? "T" : "N")}_gflops={gflops:F2}");
        }
        Console.WriteLine($"one training step's GEMMs: {totalSeconds * 1e3:F2} ms, {totalFlops / totalSeconds / 1e9:F1} GFLOP/s " +
                          $"(≈ {128 / totalSeconds:F0} samples/s if GEMM were everything)");
        Console.WriteLine($"RESULT gemm_step_ms={totalSeconds * 1e3:F3}");
    }

    private static double Time(Action action, double flops, double targetSeconds)
    {
        var reps = Math.Max(3, (int)(2e9 * targetSeconds / 10 / flops));
        for (var i = 0; i < reps; i++) action();
        var best = double.MaxValue;
        for (var round = 0; round < 10; round++)
        {
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < reps; i++) action();
            best = Math.Min(best, watch.Elapsed.TotalSeconds / reps);
        }
        return best;
    }

    /// <summary>Twelve independent FMA chains, no memory traffic: what one core can do at best.</summary>
    private static double MeasurePeak()
    {
        var best = 0.0;
        for (var round = 0; round < 5; round++)
        {
            const long iterations = 5_000_000;
            var watch = Stopwatch.StartNew();
            var sink = Vector512.IsHardwareAccelerated ? Fma512(iterations) : Fma256(iterations);
            var seconds = watch.Elapsed.TotalSeconds;
            var lanes = Vector512.IsHardwareAccelerated ? 16 : 8;
            if (float.IsNaN(sink)) Console.WriteLine("(unexpected NaN)");
            best = Math.Max(best, 12.0 * lanes * 2 * iterations / seconds / 1e9);
        }
        return best;
    }

    private static float Fma512(long iterations)
    {
        var x = Vector512.Create(0.999999f);
        var y = Vector512.Create(1e-7f);
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default;
        Vector512<float> c6 = default, c7 = default, c8 = default, c9 = default, c10 = default, c11 = default;
        for (long i = 0; i < iterations; i++)
        {
            c0 = Vector512.FusedMultiplyAdd(c0, x, y); c1 = Vector512.FusedMultiplyAdd(c1, x, y);
            c2 = Vector512.FusedMultiplyAdd(c2, x, y); c3 = Vector512.FusedMultiplyAdd(c3, x, y);
            c4 = Vector512.FusedMultiplyAdd(c4, x, y); c5 = Vector512.FusedMultiplyAdd(c5, x, y);
            c6 = Vector512.FusedMultiplyAdd(c6, x, y); c7 = Vector512.FusedMultiplyAdd(c7, x, y);
            c8 = Vector512.FusedMultiplyAdd(c8, x, y); c9 = Vector512.FusedMultiplyAdd(c9, x, y);
            c10 = Vector512.FusedMultiplyAdd(c10, x, y); c11 = Vector512.FusedMultiplyAdd(c11, x, y);
        }
        return Vector512.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
    }

    private static float Fma256(long iterations)
    {
        var x = Vector256.Create(0.999999f);
        var y = Vector256.Create(1e-7f);
        Vector256<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default;
        Vector256<float> c6 = default, c7 = default, c8 = default, c9 = default, c10 = default, c11 = default;
        for (long i = 0; i < iterations; i++)
        {
            c0 = Vector256.FusedMultiplyAdd(c0, x, y); c1 = Vector256.FusedMultiplyAdd(c1, x, y);
            c2 = Vector256.FusedMultiplyAdd(c2, x, y); c3 = Vector256.FusedMultiplyAdd(c3, x, y);
            c4 = Vector256.FusedMultiplyAdd(c4, x, y); c5 = Vector256.FusedMultiplyAdd(c5, x, y);
            c6 = Vector256.FusedMultiplyAdd(c6, x, y); c7 = Vector256.FusedMultiplyAdd(c7, x, y);
            c8 = Vector256.FusedMultiplyAdd(c8, x, y); c9 = Vector256.FusedMultiplyAdd(c9, x, y);
            c10 = Vector256.FusedMultiplyAdd(c10, x, y); c11 = Vector256.FusedMultiplyAdd(c11, x, y);
        }
        return Vector256.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
    }

    private static float[] Random(Random rng, int length)
    {
        var values = new float[length];
        for (var i = 0; i < length; i++) values[i] = (float)(rng.NextDouble() * 2 - 1);
        return values;
    }
}
