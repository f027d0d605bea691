using System.CommandLine;
using VaeSweep.Client.Ranking;
using VaeSweep.Client.Report;
using VaeSweep.Client.Store;

namespace VaeSweep.Client.Commands;

/// <summary><c>top</c>: finished trials ranked by held-out log-likelihood, with a paired test against the best.</summary>
internal static class TopCommand
{
    public static Command Create(CliContext context)
    {
        var db = CommonOptions.Database(context);
        var sweep = new SweepSelector("Sweep to rank", defaultsToNewest: true);
        var limit = new Option<int>("--limit") { Description = "Rows to show (0: all)", DefaultValueFactory = _ => 20 };
        var format = CommonOptions.Format("Output format (json and csv: every field, full precision)");
        var wide = new Option<bool>("--wide") { Description = $"Table: every column, however wide (default: the swept parameters and ranking numbers, within {TopTable.DefaultWidth} columns)" };
        var command = new Command("top", "Rank a sweep's finished trials by held-out (validation) log-likelihood") { db, limit, format, wide };
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

            if (!ReadStore.TryOpen(context, parse.GetValue(db)!, out var store)) return ExitCodes.Database;
            using (store)
            {
                if (!ReadStore.TryResolveSweep(context, store, named, out var name)) return ExitCodes.NotFound;
                Write(context, store, name, n, parse.GetValue(format), parse.GetValue(wide));
                return ExitCodes.Ok;
            }
        });
        return command;
    }

    public static void Write(CliContext context, ResultsStore store, string sweep, int limit, OutputFormat format, bool wide = false)
    {
        var ranked = Ranker.Rank(store.ResultsOf(sweep));
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
        context.Out.WriteLine($"sweep {sweep}: held-out log-likelihood, nats per example (higher is better)");
        context.Out.Write(ResultFormatter.Format(table, OutputFormat.Table));
        if (hidden.Count > 0) context.Out.WriteLine($"({string.Join(", ", hidden)} left out to fit {width} columns; --wide shows every column)");
    }
}
