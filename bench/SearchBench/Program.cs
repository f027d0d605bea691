using VaeSweep.Client.Search;
using VaeSweep.Client.Spec.Expansion;
using VaeSweep.SearchBench;

// Our TPE and random search on standard functions, sequentially (lag 1: each trial learns from all before it), as
// Optuna's study.optimize does with n_jobs=1. Prints CSV: function,method,seed,trials,best_regret for each budget.
//   dotnet run -c Release --project bench/SearchBench -- [--seeds 20] [--trials 100] [--startup 10]
var seeds = 20;
var trials = 100;
var startup = 10;
for (var i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--seeds": seeds = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture); break;
        case "--trials": trials = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture); break;
        case "--startup": startup = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture); break;
        default: Console.Error.WriteLine($"SearchBench: unknown argument '{args[i]}'"); return 2;
    }
}
int[] budgets = [.. new[] { 10, 25, 50, 100, 200 }.Where(b => b <= trials)];
Console.WriteLine("function,method,seed,trials,best_regret");
foreach (var function in TestFunctions())
{
    var space = function.Low.Select((low, d) => (SearchDimension)new NumericDimension(low, function.High[d])).ToArray();
    foreach (var method in new[] { "tpe", "random" })
    {
        for (var seed = 0; seed < seeds; seed++)
        {
            var completed = new List<ScoredPoint>();
            var rng = new SplitMix64(seed);
            var best = double.PositiveInfinity;
            for (var n = 0; n < trials; n++)
            {
                var point = method == "random" || n < startup
                    ? function.Low.Select((low, d) => low + (function.High[d] - low) * rng.NextDouble()).ToArray()
                    : TpeCore.Propose(space, completed, [], TpeProposer.StreamFor(seed, n), TpeSettings.Default, _ => false)!;
                var value = function.Value(point);
                best = Math.Min(best, value);
                completed.Add(new ScoredPoint(point, -value)); // the TPE maximises
                if (budgets.Contains(n + 1))
                    Console.WriteLine(FormattableString.Invariant($"{function.Name},{method},{seed},{n + 1},{best - function.Minimum:G6}"));
            }
        }
    }
}
return 0;

static IReadOnlyList<TestFunction> TestFunctions() => TestFunction.All;
