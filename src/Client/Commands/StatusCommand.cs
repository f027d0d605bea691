using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Logging;
using VaeSweep.Client.Store;
using VaeSweep.Grains.Contracts;
using VaeSweep.Silo;

namespace VaeSweep.Client.Commands;

/// <summary><c>status</c>: sweeps with their trial counts by status, failed trials' errors, and the silos last heard from.</summary>
internal static class StatusCommand
{
    public static Command Create(CliContext context)
    {
        var db = CommonOptions.Database();
        var sweep = CommonOptions.Sweep();
        var cluster = CommonOptions.Cluster();
        var command = new Command("status", "Show sweeps, trials by status, failures, and silos (live ones with --cluster)") { db, sweep, cluster };
        command.SetAction(async (parse, ct) =>
        {
            ClusterAddress? at;
            try
            {
                at = ClusterSettings.From(context, parse.GetValue(cluster));
            }
            catch (FormatException e)
            {
                return context.Fail(ExitCodes.Usage, e.Message);
            }

            if (!ReadStore.TryOpen(context, parse.GetValue(db)!, out var store)) return ExitCodes.Database;
            using (store)
            {
                var only = parse.GetValue(sweep);
                if (only is not null && !ReadStore.TryResolveSweep(context, store, only, out _)) return ExitCodes.NotFound;
                foreach (var s in store.Sweeps().Where(s => only is null || s.Name == only))
                {
                    var trials = store.TrialsOf(s.Name);
                    var counts = string.Join(", ", trials.GroupBy(t => t.Status).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key.ToDb()}"));
                    context.Out.WriteLine($"sweep {s.Name} ({s.Status.ToDb()}): {trials.Count} trials: {counts}");
                    foreach (var t in trials.Where(t => t.Status is TrialStatus.Running or TrialStatus.Paused or TrialStatus.Failed or TrialStatus.Diverged))
                    {
                        var epochs = store.EpochsOf(t.TrialId).Count;
                        var detail = t.Status switch
                        {
                            TrialStatus.Running => $"epoch {epochs}/{t.Epochs} on {t.Host}, attempt {t.Attempts}",
                            TrialStatus.Paused => $"epoch {epochs}/{t.Epochs}, waiting at a rung for the trials before it",
                            _ => t.Error,
                        };
                        context.Out.WriteLine($"  {t.TrialId[..16]}  {t.Status.ToDb(),-8}  {detail}");
                    }
                }

                if (at is null)
                {
                    var silos = store.Silos();
                    if (silos.Count > 0) context.Out.WriteLine("silos (as the last run saw them):");
                    foreach (var silo in silos)
                        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"  {silo.Name,-24} host {silo.Host}, {silo.Slots} slots, {silo.Running} running, last seen {silo.LastHeartbeat:u}"));
                    return ExitCodes.Ok;
                }

                using var logging = ClusterSettings.ClientLogging(ClusterSettings.LogFileFor(parse.GetValue(db)!), verbose: false);
                IReadOnlyList<SiloReport> live;
                try
                {
                    live = await ClusterControl.SilosAsync(at, context.Time, logging, ct);
                }
                catch (ClusterException e)
                {
                    return context.Fail(ClusterSettings.ExitCode(e), e.Message);
                }

                context.Out.WriteLine($"silos in {at}:");
                foreach (var silo in live)
                {
                    var running = silo.Running.Count == 0 ? "" : ": " + string.Join(", ", silo.Running.Select(t => $"{t.TrialId[..Math.Min(16, t.TrialId.Length)]} ({t.Sweep}, attempt {t.Attempt})"));
                    context.Out.WriteLine($"  {silo.Name,-24} host {silo.Host}, {silo.Slots} slots, {silo.Running.Count} running{running}; {silo.Engine}");
                }

                return ExitCodes.Ok;
            }
        });
        return command;
    }
}
