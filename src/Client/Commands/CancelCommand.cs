using System.CommandLine;
using Microsoft.Extensions.Logging;
using VaeSweep.Client.Store;
using VaeSweep.Silo;

namespace VaeSweep.Client.Commands;

/// <summary>
/// <c>cancel SWEEP</c>: marks the sweep's unfinished trials cancelled. The running client sees it
/// within a second and stops those trials wherever they run; finished results stay.
/// </summary>
internal static class CancelCommand
{
    public static Command Create(CliContext context)
    {
        var db = CommonOptions.Database(context);
        var sweep = new SweepSelector("Sweep to cancel", defaultsToNewest: false);
        var cluster = CommonOptions.Cluster("Also tell this cluster's silos to stop the sweep's trials, even when no client is running");
        var command = new Command("cancel", "Cancel a sweep's unfinished trials everywhere") { db, cluster };
        sweep.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            ClusterAddress? at;
            string name;
            try
            {
                at = ClusterSettings.From(context, parse.GetValue(cluster));
                name = sweep.From(parse)!;
            }
            catch (FormatException e)
            {
                return context.Fail(ExitCodes.Usage, e.Message);
            }

            var path = parse.GetValue(db)!;
            if (!File.Exists(path)) return context.Fail(ExitCodes.Database, $"{path}: no results database here (pass --db)");
            using var store = ResultsStore.Open(path, time: context.Time);
            if (!ReadStore.TryResolveSweep(context, store, name, out _)) return ExitCodes.NotFound;
            var cancelled = store.CancelSweep(name);
            context.Out.WriteLine(cancelled > 0
                ? $"sweep {name}: {cancelled} unfinished trial(s) cancelled; running its spec again resumes them"
                : $"sweep {name}: nothing to cancel, every trial has ended; it stays {store.GetSweep(name)!.Status.ToDb()}");
            if (at is null) return ExitCodes.Ok;

            // Silos stop the sweep's trials even when no client is running to tell them.
            using var logging = ClusterSettings.ClientLogging(ClusterSettings.LogFileFor(path), verbose: false);
            try
            {
                var stopped = await ClusterControl.CancelSweepAsync(at, name, context.Time, logging, ct);
                context.Out.WriteLine($"sweep {name}: told the silos to stop {stopped} running trial(s)");
                return ExitCodes.Ok;
            }
            catch (ClusterException e)
            {
                return context.Fail(ClusterSettings.ExitCode(e), $"the sweep is cancelled in {path}, but the silos were not told: {e.Message}");
            }
        });
        return command;
    }
}
