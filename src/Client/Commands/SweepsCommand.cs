using System.CommandLine;
using VaeSweep.Client.Monitoring;
using VaeSweep.Client.Ranking;
using VaeSweep.Client.Store;

namespace VaeSweep.Client.Commands;

/// <summary><c>sweeps</c>: every sweep in the database, with its state, trial counts, best held-out LL and last activity.</summary>
internal static class SweepsCommand
{
    private static readonly string[] Columns = ["sweep", "state", "trials", "finished", "running", "pruned", "failed", "other", "best_ll", "last_activity"];

    public static Command Create(CliContext context)
    {
        var db = CommonOptions.Database(context);
        var format = CommonOptions.Format("Output format (json and csv: full precision)");
        var command = new Command("sweeps", "List the sweeps in the database: state, trials, best held-out log-likelihood, last activity") { db, format };
        command.SetAction(parse =>
        {
            if (!ReadStore.TryOpen(context, parse.GetValue(db)!, out var store)) return ExitCodes.Database;
            using (store)
            {
                var chosen = parse.GetValue(format);
                var options = new StatusOptions();
                var now = context.Time.GetUtcNow();
                var silos = store.Silos();
                var activity = store.SweepActivities().ToDictionary(a => a.Name);
                var rows = new List<IReadOnlyList<object?>>();
                foreach (var sweep in store.Sweeps())
                {
                    var view = StatusViews.Sweep(sweep, store.TrialsOf(sweep.Name), _ => 0, silos, now, options);
                    int Count(TrialActivity a) => view.Counts.GetValueOrDefault(a.ToText());
                    var counted = Count(TrialActivity.Finished) + Count(TrialActivity.Running) + Count(TrialActivity.Pruned) + Count(TrialActivity.Failed);
                    var a = activity[sweep.Name];
                    rows.Add([
                        sweep.Name, view.State, (long)view.TrialCount, (long)Count(TrialActivity.Finished), (long)Count(TrialActivity.Running),
                        (long)Count(TrialActivity.Pruned), (long)Count(TrialActivity.Failed), (long)(view.TrialCount - counted),
                        a.BestHeldoutLl is { } ll && chosen == OutputFormat.Table ? ShownNumber.Nats(ll) : a.BestHeldoutLl,
                        chosen == OutputFormat.Table ? a.LastActivity.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)
                            : a.LastActivity.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                    ]);
                }

                if (rows.Count == 0 && chosen == OutputFormat.Table)
                {
                    context.Out.WriteLine($"{store.Path} holds no sweep yet (`vaesweep run SPEC` starts one)");
                    return ExitCodes.Ok;
                }
                context.Out.Write(ResultFormatter.Format(new QueryResult(Columns, rows), chosen));
                return ExitCodes.Ok;
            }
        });
        return command;
    }
}
