using System.CommandLine;
using VaeSweep.Client.Ranking;
using VaeSweep.Client.Report;
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
        var db = CommonOptions.Database(context);
        var sweep = new SweepSelector("Sweep to rank", defaultsToNewest: true);
        var limit = new Option<int>("--limit") { Description = "Rows to show (0: all)", DefaultValueFactory = _ => 20 };
        var format = CommonOptions.Format("Output format (json and csv: every field, full precision)");
        var wide = new Option<bool>("--wide") { Description = $"Table: every column, however wide (default: the swept parameters and ranking numbers, within {TopTable.DefaultWidth} columns)" };
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
            db, limit, format, wide, pareto, objective,
        };
        sweep.AddTo(command);
        command.SetAction(parse =>
        {
            var n = parse.GetValue(limit);
            if (n < 0) return context.Fail(ExitCodes.Usage, $"--limit: must be 0 (all) or more, got {n}");
            string? named;
            try
            {
                named = sweep.From(parse);
            }
            catch (FormatException e)
            {
                return context.Fail(ExitCodes.Usage, e.Message);
            }

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
                if (!ReadStore.TryResolveSweep(context, store, named, out var name)) return ExitCodes.NotFound;
                Write(context, store, name, n, parse.GetValue(format), parse.GetValue(wide), chosen, front);
                return ExitCodes.Ok;
            }
        });
        return command;
    }

    /// <param name="objective">Null: the objective of the sweep's stored spec.</param>
    /// <param name="pareto">Null: every ranked trial, with the rate–distortion front marked; else only that front's trials.</param>
    public static void Write(CliContext context, ResultsStore store, string sweep, int limit, OutputFormat format, bool wide = false,
        Objective? objective = null, IReadOnlyList<(TrialMetric, Direction)>? pareto = null)
    {
        var byDefault = objective is null && store.GetSweep(sweep) is { } record ? ObjectiveReader.FromSpecText(record.SpecText) : null;
        var options = new RankingOptions { Objective = objective ?? byDefault ?? Objective.Default, ParetoMetrics = pareto ?? ParetoFront.RateDistortion };
        IEnumerable<RankedTrial> ranked = Ranker.Rank(store.ResultsOf(sweep), options);
        if (pareto is not null) ranked = ranked.Where(r => r.Pareto == true);
        var rows = (limit > 0 ? ranked.Take(limit) : ranked).ToList();
        var swept = SweptParameters.OfSweep(store, sweep);
        if (format != OutputFormat.Table)
        {
            context.Out.Write(ResultFormatter.Format(TopTable.Exact(rows, swept), format));
            return;
        }

        if (rows.Count == 0)
        {
            context.Out.WriteLine($"sweep {sweep}: no finished trial to rank yet (`vaesweep status {sweep}` shows where it is)");
            return;
        }

        // A terminal narrower than the default limit sets the limit: the table must not wrap.
        var width = context.Interactive ? Math.Min(TopTable.DefaultWidth, context.TerminalSize().Width - 1) : TopTable.DefaultWidth;
        var (table, hidden) = TopTable.Shown(rows, swept, wide, width);
        context.Out.WriteLine(ReferenceEquals(options.Objective, Objective.Default)
            ? $"sweep {sweep}: held-out log-likelihood, nats per example (higher is better)"
            : $"sweep {sweep}: ranked by its objective (trials meeting its constraints first)");
        if (pareto is not null) context.Out.WriteLine("only the trials on the Pareto front of the metrics asked for");
        context.Out.Write(ResultFormatter.Format(table, OutputFormat.Table));
        if (hidden.Count > 0) context.Out.WriteLine($"({string.Join(", ", hidden)} left out to fit {width} columns; --wide shows every column)");
    }
}
