using System.CommandLine;
using VaeSweep.Client.Ranking;
using VaeSweep.Client.Store;

namespace VaeSweep.Client.Commands;

/// <summary><c>query SQL</c>: read-only SQL against the results database; writes are refused.</summary>
internal static class QueryCommand
{
    public static Command Create(CliContext context)
    {
        var db = CommonOptions.Database(context);
        var sql = new Argument<string>("SQL") { Description = "A read-only SQL statement" };
        var format = CommonOptions.Format();
        var timeout = new Option<double?>("--timeout") { Description = "Stop the query after this many seconds (default: no limit)" };
        var command = new Command("query", "Run read-only SQL against the results database (opened read-only)") { db, sql, format, timeout };
        command.SetAction(parse =>
        {
            var limit = parse.GetValue(timeout);
            if (limit is { } l && !(l > 0 && l <= int.MaxValue)) return context.Fail(ExitCodes.Usage, $"--timeout: must be a positive number of seconds, got {l}");
            if (!ReadStore.TryOpen(context, parse.GetValue(db)!, out var store)) return ExitCodes.Database;
            using (store)
            {
                try
                {
                    context.Out.Write(ResultFormatter.Format(store.QueryReadOnly(parse.GetValue(sql)!, timeout: limit is { } seconds ? TimeSpan.FromSeconds(seconds) : null), parse.GetValue(format)));
                    return ExitCodes.Ok;
                }
                catch (ResultsStoreException e)
                {
                    return context.Fail(ExitCodes.Database, e.Message);
                }
            }
        });
        return command;
    }
}
