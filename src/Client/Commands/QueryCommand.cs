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
        var command = new Command("query", "Run read-only SQL against the results database (opened read-only)") { db, sql, format };
        command.SetAction(parse =>
        {
            if (!ReadStore.TryOpen(context, parse.GetValue(db)!, out var store)) return ExitCodes.Database;
            using (store)
            {
                try
                {
                    context.Out.Write(ResultFormatter.Format(store.QueryReadOnly(parse.GetValue(sql)!), parse.GetValue(format)));
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
