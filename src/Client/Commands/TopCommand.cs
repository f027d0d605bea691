using System.CommandLine;
using VaeSweep.Client.Ranking;
using VaeSweep.Client.Spec;
using VaeSweep.Client.Store;

namespace VaeSweep.Client.Commands;

/// <summary><c>top</c>: finished trials ranked by held-out log-likelihood, with a paired test against the best.</summary>
internal static class TopCommand
{
    public static Command Create(CliContext context)
    {
        var db = CommonOptions.Database();
        var sweep = CommonOptions.Sweep();
        var limit = new Option<int>("--limit") { Description = "Rows to show (0: all)", DefaultValueFactory = _ => 20 };
        var format = CommonOptions.Format();
        var command = new Command("top", "Rank a sweep's finished trials by held-out (validation) log-likelihood") { db, sweep, limit, format };
        command.SetAction(parse =>
        {
            var n = parse.GetValue(limit);
            if (n < 0) return context.Fail(ExitCodes.Usage, $"--limit: must be 0 (all) or more, got {n}");
            if (!ReadStore.TryOpen(context, parse.GetValue(db)!, out var store)) return ExitCodes.Database;
            using (store)
            {
                if (!ReadStore.TryResolveSweep(context, store, parse.GetValue(sweep), out var name)) return ExitCodes.NotFound;
                Write(context, store, name, n, parse.GetValue(format));
                return ExitCodes.Ok;
            }
        });
        return command;
    }

    public static void Write(CliContext context, ResultsStore store, string sweep, int limit, OutputFormat format)
    {
        var ranked = Ranker.Rank(store.ResultsOf(sweep));
        var rows = limit > 0 ? ranked.Take(limit) : ranked;
        // A terminal table shows ids as people type them (any unique prefix works); json and csv keep them whole.
        if (format == OutputFormat.Table) rows = rows.Select(r => r with { Trial = TrialIdentity.Short(r.Trial) });
        context.Out.Write(ResultFormatter.Format(RankingTable.ToQueryResult(rows), format));
    }
}
