using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Logging;
using VaeSweep.Client.Monitoring;
using VaeSweep.Client.Ranking;
using VaeSweep.Client.Spec;
using VaeSweep.Contracts;
using VaeSweep.Silo;

namespace VaeSweep.Client.Commands;

/// <summary>
/// <c>status</c>: each sweep's state and its trials by what they are doing now (running, waiting for a slot,
/// interrupted, ...), the trials worth a line, and the silos: up, or gone with when they were last seen.
/// </summary>
internal static class StatusCommand
{
    public static Command Create(CliContext context)
    {
        var db = CommonOptions.Database(context);
        var sweep = new SweepSelector("Only this sweep", defaultsToNewest: true);
        var cluster = CommonOptions.Cluster("Also ask this cluster which silos are up now, with their slots, trials and engine");
        var format = CommonOptions.Format("Output format", OutputFormat.Table, OutputFormat.Json);
        var command = new Command("status", "Show sweeps (running, interrupted, finished), their trials by state, failures, and silos") { db, cluster, format };
        sweep.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            ClusterAddress? at;
            string? only;
            try
            {
                at = ClusterSettings.From(context, parse.GetValue(cluster));
                only = sweep.From(parse);
            }
            catch (FormatException e)
            {
                return context.Fail(ExitCodes.Usage, e.Message);
            }

            if (!ReadStore.TryOpen(context, parse.GetValue(db)!, out var store)) return ExitCodes.Database;
            using (store)
            {
                if (only is not null && !ReadStore.TryResolveSweep(context, store, only, out _)) return ExitCodes.NotFound;
                var options = new StatusOptions();
                var now = context.Time.GetUtcNow();
                var silos = store.Silos();
                var sweeps = store.Sweeps().Where(s => only is null || s.Name == only)
                    .Select(s => StatusViews.Sweep(s, store.TrialsOf(s.Name), id => store.EpochsOf(id).Count, silos, now, options))
                    .ToList();
                var siloViews = silos.Select(s => StatusViews.Silo(s, now, options)).ToList();

                IReadOnlyList<SiloReport>? live = null;
                if (at is not null)
                {
                    using var logging = ClusterSettings.ClientLogging(ClusterSettings.LogFileFor(parse.GetValue(db)!), verbose: false);
                    try
                    {
                        live = await ClusterControl.SilosAsync(at, context.Time, logging, ct);
                    }
                    catch (ClusterException e)
                    {
                        return context.Fail(ClusterSettings.ExitCode(e), e.Message);
                    }
                }

                if (parse.GetValue(format) == OutputFormat.Json)
                {
                    JsonOutput.Write(context.Out, new
                    {
                        Sweeps = sweeps,
                        Silos = siloViews,
                        Cluster = at?.ToString(),
                        ClusterSilos = live?.Select(s => new { s.Name, s.Host, s.Slots, Running = s.Running.Select(t => new { t.TrialId, t.Sweep, t.Attempt }), s.Engine }),
                    });
                    return ExitCodes.Ok;
                }

                foreach (var s in sweeps) WriteSweep(context.Out, s);
                WriteSilos(context.Out, siloViews);
                if (at is not null) WriteCluster(context.Out, at, live!);
                return ExitCodes.Ok;
            }
        });
        return command;
    }

    private static void WriteSweep(TextWriter o, SweepStatusView s)
    {
        var counts = string.Join(", ", s.Counts.Select(kv => $"{kv.Value} {kv.Key}"));
        o.WriteLine($"sweep {s.Name}: {s.State}, {s.TrialCount} trials: {counts}");
        foreach (var t in s.Trials)
        {
            var detail = t.Activity switch
            {
                "running" => $"epoch {t.Epoch}/{t.Epochs} on {t.Host}, attempt {t.Attempt}{(t.StartedAttempts < t.Attempt ? $" ({t.StartedAttempts} started)" : "")}",
                "waiting" => $"epoch {t.Epoch}/{t.Epochs}, queued for a free slot",
                "interrupted" => $"epoch {t.Epoch}/{t.Epochs}{(t.Host is null ? "" : $", last on {t.Host}")}; running the spec again resumes it",
                "paused" => $"epoch {t.Epoch}/{t.Epochs}, waiting at a rung for the trials before it",
                _ => t.Error,
            };
            o.WriteLine($"  {TrialIdentity.Short(t.Trial)}  {t.Activity,-11}  {detail}");
        }
        if (s.State == "interrupted") o.WriteLine($"  nothing is running it: `vaesweep run SPEC` with its spec finishes it from the last checkpoints");
    }

    private static void WriteSilos(TextWriter o, IReadOnlyList<SiloStatusView> silos)
    {
        if (silos.Count == 0) return;
        o.WriteLine("silos (as recorded by the running client):");
        foreach (var s in silos)
            o.WriteLine(s.Up
                ? $"  {s.Name,-24} up, host {s.Host}, {s.Slots} slots, {s.Running} running"
                : string.Create(CultureInfo.InvariantCulture, $"  {s.Name,-24} gone, host {s.Host}, last seen {s.LastSeen:yyyy-MM-dd HH:mm:ss}Z ({Ago(s.SecondsAgo)} ago)"));
    }

    private static void WriteCluster(TextWriter o, ClusterAddress at, IReadOnlyList<SiloReport> live)
    {
        o.WriteLine($"silos in {at} now:");
        foreach (var silo in live)
        {
            var running = silo.Running.Count == 0 ? "" : ": " + string.Join(", ", silo.Running.Select(t => $"{TrialIdentity.Short(t.TrialId)} ({t.Sweep}, attempt {t.Attempt})"));
            o.WriteLine($"  {silo.Name,-24} host {silo.Host}, {silo.Slots} slots, {silo.Running.Count} running{running}; {silo.Engine}");
        }
    }

    private static string Ago(double seconds) => seconds switch
    {
        < 120 => $"{seconds:F0} s",
        < 7200 => $"{seconds / 60:F0} min",
        < 172800 => $"{seconds / 3600:F0} h",
        _ => $"{seconds / 86400:F0} days",
    };
}
