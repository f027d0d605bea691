using System.CommandLine;
using System.Globalization;
using VaeSweep.Client.Store;

namespace VaeSweep.Client.Commands;

/// <summary><c>status</c>: sweeps with their trial counts by status, failed trials' errors, and the silos last heard from.</summary>
internal static class StatusCommand
{
    public static Command Create(CliContext context)
    {
        var db = CommonOptions.Database();
        var sweep = CommonOptions.Sweep();
        var command = new Command("status", "Show sweeps, trials by status, failures and silos") { db, sweep };
        command.SetAction(parse =>
        {
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
                    foreach (var t in trials.Where(t => t.Status is TrialStatus.Running or TrialStatus.Failed or TrialStatus.Diverged))
                    {
                        var epochs = store.EpochsOf(t.TrialId).Count;
                        var detail = t.Status == TrialStatus.Running ? $"epoch {epochs}/{t.Epochs} on {t.Host}, attempt {t.Attempts}" : t.Error;
                        context.Out.WriteLine($"  {t.TrialId[..16]}  {t.Status.ToDb(),-8}  {detail}");
                    }
                }

                var silos = store.Silos();
                if (silos.Count > 0) context.Out.WriteLine("silos:");
                foreach (var silo in silos)
                    context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  {silo.Name,-24} host {silo.Host}, {silo.Slots} slots, {silo.Running} running, last heartbeat {silo.LastHeartbeat:u}"));
                return ExitCodes.Ok;
            }
        });
        return command;
    }
}
