using System.CommandLine;
using VaeSweep.Client.Ranking;
using VaeSweep.Client.Spec;
using VaeSweep.Client.Store;

namespace VaeSweep.Client.Commands;

/// <summary>
/// <c>top</c>: finished trials ranked by the sweep's objective (held-out log-likelihood by default), with a paired
/// test against the best; <c>--pareto</c> keeps only the trials on a two-metric Pareto front.
/// </summary>
internal static class TopCommand
{
    /// <summary>What <c>--pareto</c> without a value means: Alemi et al.'s rate–distortion plane.</summary>
    private const string DefaultPareto = "rate,distortion";

    public static Command Create(CliContext context)
    {
        var db = CommonOptions.Database();
        var sweep = CommonOptions.Sweep();
        var limit = new Option<int>("--limit") { Description = "Rows to show (0: all)", DefaultValueFactory = _ => 20 };
        var format = CommonOptions.Format();
        var pareto = new Option<string?>("--pareto")
        {
            Description = $"Only the trials on the Pareto front of two metrics, METRIC[:max|:min],METRIC[:max|:min] (alone: {DefaultPareto})",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var objective = new Option<string?>("--objective")
        {
            Description = "Rank by this objective instead of the sweep's (e.g. 'rate min' or 'heldout_ll; active_units >= 5')",
        };
        var command = new Command("top", "Rank a sweep's finished trials by its objective (held-out log-likelihood by default)")
        {
            db, sweep, limit, format, pareto, objective,
        };
        command.SetAction(parse =>
        {
            var n = parse.GetValue(limit);
            if (n < 0) return context.Fail(ExitCodes.Usage, $"--limit: must be 0 (all) or more, got {n}");
            IReadOnlyList<(TrialMetric, Direction)>? front = null;
            if (parse.GetResult(pareto) is not null)
            {
                front = ParetoFront.Parse(parse.GetValue(pareto) ?? DefaultPareto, out var error);
                if (front is null) return context.Fail(ExitCodes.Usage, $"--pareto: {error}");
            }
            Objective? chosen = null;
            if (parse.GetValue(objective) is { } text)
            {
                var problems = new List<string>();
                chosen = Objective.Parse(text.Split(';'), (_, message) => problems.Add(message));
                if (chosen is null) return context.Fail(ExitCodes.Usage, $"--objective: {string.Join("; ", problems)}");
            }
            if (!ReadStore.TryOpen(context, parse.GetValue(db)!, out var store)) return ExitCodes.Database;
            using (store)
            {
                if (!ReadStore.TryResolveSweep(context, store, parse.GetValue(sweep), out var name)) return ExitCodes.NotFound;
                Write(context, store, name, n, parse.GetValue(format), chosen, front);
                return ExitCodes.Ok;
            }
        });
        return command;
    }

    /// <param name="objective">Null: the objective of the sweep's stored spec.</param>
    /// <param name="pareto">Null: every ranked trial, with the rate–distortion front marked; else only that front's trials.</param>
    public static void Write(CliContext context, ResultsStore store, string sweep, int limit, OutputFormat format,
        Objective? objective = null, IReadOnlyList<(TrialMetric, Direction)>? pareto = null)
    {
        objective ??= store.GetSweep(sweep) is { } record ? ObjectiveReader.FromSpecText(record.SpecText) : Objective.Default;
        var options = new RankingOptions { Objective = objective, ParetoMetrics = pareto ?? ParetoFront.RateDistortion };
        IEnumerable<RankedTrial> ranked = Ranker.Rank(store.ResultsOf(sweep), options);
        if (pareto is not null) ranked = ranked.Where(r => r.Pareto == true);
        var rows = limit > 0 ? ranked.Take(limit) : ranked;
        // A terminal table shows ids as people type them (any unique prefix works); json and csv keep them whole.
        if (format == OutputFormat.Table) rows = rows.Select(r => r with { Trial = TrialIdentity.Short(r.Trial) });
        context.Out.Write(ResultFormatter.Format(RankingTable.ToQueryResult(rows), format));
    }
}
