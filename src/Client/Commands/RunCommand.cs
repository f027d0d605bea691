using System.CommandLine;
using VaeSweep.Client.Progress;
using VaeSweep.Client.Scheduling;
using VaeSweep.Client.Scheduling.Sources;
using VaeSweep.Client.Spec;
using VaeSweep.Client.Store;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using VaeSweep.Silo;

namespace VaeSweep.Client.Commands;

/// <summary><c>run SPEC</c>: run a sweep, or finish one that a previous run left unfinished.</summary>
internal static class RunCommand
{
    public static Command Create(CliContext context)
    {
        var spec = new Argument<string>("SPEC") { Description = "Sweep spec file (YAML)" };
        var db = CommonOptions.Database(context);
        var slots = new Option<int?>("--slots") { Description = "Trials at once in the embedded silo (default: one per core)" };
        var cluster = CommonOptions.Cluster("Run the trials on this cluster's silos instead of a silo inside this process");
        var maxFailures = new Option<int>("--max-failures")
        {
            Description = "Failed attempts before a trial is marked failed",
            DefaultValueFactory = _ => new SchedulerOptions().MaxFailures,
        };
        var siloWait = new Option<int>("--silo-wait")
        {
            Description = "With --cluster: seconds the run waits while no silo of the cluster answers before it stops (exit 11), keeping what it stored",
            DefaultValueFactory = _ => (int)new ClusterRunnerOptions().NoSiloTimeout.TotalSeconds,
        };
        var verbose = new Option<bool>("--verbose")
        {
            Description = "Also print Orleans' and Redis' warnings on standard error; they always go to the log file next to the database (DB.log)",
        };
        var retryFailed = new Option<bool>("--retry-failed") { Description = "Give the sweep's failed trials new attempts" };
        var retryDiverged = new Option<bool>("--retry-diverged")
        {
            Description = "Give the sweep's diverged trials new attempts (divergence is deterministic: only useful after a fix)",
        };
        var command = new Command("run", "Run a sweep; running it again finishes what is missing and repeats nothing that finished; " +
            "an edited spec of the same name becomes the sweep's next version")
        {
            spec, db, slots, cluster, maxFailures, siloWait, verbose, retryFailed, retryDiverged,
        };
        command.SetAction((parse, ct) => RunAsync(context, parse.GetValue(spec)!, parse.GetValue(db)!, parse.GetValue(slots),
            parse.GetValue(cluster), parse.GetValue(maxFailures), parse.GetValue(siloWait), parse.GetValue(verbose),
            parse.GetValue(retryFailed), parse.GetValue(retryDiverged), ct));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, string specPath, string dbPath, int? slots, string? clusterOption,
        int maxFailures, int siloWait, bool verbose, bool retryFailed, bool retryDiverged, CancellationToken cancellationToken)
    {
        if (slots is < 1) return context.Fail(ExitCodes.Usage, $"--slots: must be at least 1, got {slots}");
        if (siloWait < 1) return context.Fail(ExitCodes.Usage, $"--silo-wait: must be at least 1 second, got {siloWait}");
        if (maxFailures < 1) return context.Fail(ExitCodes.Usage, $"--max-failures: must be at least 1, got {maxFailures}");
        ClusterAddress? cluster;
        try
        {
            cluster = ClusterSettings.From(context, clusterOption);
        }
        catch (FormatException e)
        {
            return context.Fail(ExitCodes.Usage, e.Message);
        }

        if (cluster is not null && slots is not null) return context.Fail(ExitCodes.Usage, "--slots: sets the embedded silo's slots; with --cluster each silo has its own (`vaesweep silo --slots`)");
        if (!SpecFile.TryLoad(context, specPath, out var sweep)) return ExitCodes.BadSpec;

        // Reach the cluster before touching the database, so an unreachable cluster leaves no trace.
        // Information: the client says when it follows trials an earlier client left running on silos.
        using var logging = ClusterSettings.ClientLogging(ClusterSettings.LogFileFor(dbPath), verbose);
        ClusterTrialRunner runner;
        try
        {
            runner = await TrialRunners.OpenAsync(context, cluster, slots, logging, cancellationToken,
                new ClusterRunnerOptions { NoSiloTimeout = TimeSpan.FromSeconds(siloWait) });
        }
        catch (ClusterException e)
        {
            return context.Fail(ClusterSettings.ExitCode(e), e.Message);
        }

        await using var _ = runner;
        ResultsStore store;
        try
        {
            store = ResultsStore.Open(dbPath, time: context.Time);
        }
        catch (ResultsStoreException e)
        {
            return context.Fail(ExitCodes.Database, e.Message);
        }
        catch (SqliteException e) when (StorageFailure.IsFull(e, dbPath))
        {
            return context.Fail(ExitCodes.DiskFull, StorageFailure.Describe(dbPath, e));
        }

        using var __ = store;
        try
        {
            return await RunSweepAsync(context, store, runner, sweep, specPath, dbPath, cluster, slots, maxFailures, retryFailed, retryDiverged, cancellationToken);
        }
        catch (SqliteException e) when (StorageFailure.IsFull(e, dbPath))
        {
            return context.Fail(ExitCodes.DiskFull, StorageFailure.Describe(dbPath, e));
        }
    }

    private static async Task<int> RunSweepAsync(CliContext context, ResultsStore store, ClusterTrialRunner runner, SweepSpec sweep,
        string specPath, string dbPath, ClusterAddress? cluster, int? slots, int maxFailures, bool retryFailed, bool retryDiverged,
        CancellationToken cancellationToken)
    {
        var trials = sweep.Expand();
        // Before anything of the sweep is written: a refused client leaves no trace.
        var (lease, refusal) = SweepLease.Take(store, sweep.Name, trials.Select(t => t.Id).ToList(), new SweepLeaseOptions(), context.Time);
        if (lease is null) return context.Fail(ExitCodes.Busy, refusal!);
        await using var ___ = lease;
        try
        {
            return await RunLeasedSweepAsync(context, store, runner, lease, sweep, trials.Count, specPath, dbPath, cluster, slots, maxFailures,
                retryFailed, retryDiverged, cancellationToken);
        }
        finally
        {
            if (cluster is null) RecordEmbeddedSiloStopped(store, runner);
        }
    }

    /// <summary>
    /// The embedded silo stops with this process: recorded, so `status` shows it gone as soon as the run ends rather
    /// than up until its last heartbeat goes stale. Best effort: if the store cannot take it (disk full), staleness does.
    /// </summary>
    private static void RecordEmbeddedSiloStopped(ResultsStore store, ClusterTrialRunner runner)
    {
        try
        {
            store.MarkSilosStopped(runner.Silos.Select(s => s.Name));
        }
        catch (Exception e) when (e is ResultsStoreException or SqliteException)
        {
            // The run's own outcome (already reported) matters more than this marker.
        }
    }

    private static async Task<int> RunLeasedSweepAsync(CliContext context, ResultsStore store, ClusterTrialRunner runner, SweepLease lease,
        SweepSpec sweep, int expanded, string specPath, string dbPath, ClusterAddress? cluster, int? slots, int maxFailures, bool retryFailed,
        bool retryDiverged, CancellationToken cancellationToken)
    {
        try
        {
            SweepVersioning.Apply(context, store, sweep);
        }
        catch (ResultsStoreException e)
        {
            return context.Fail(ExitCodes.BadSpec, $"{specPath}: {e.Message}");
        }

        if (store.GetSweep(sweep.Name)?.Status == SweepStatus.Cancelled)
            context.Out.WriteLine($"{sweep.Name}: was cancelled; reopening {store.ReopenSweep(sweep.Name)} trial(s)");

        SweepVersioning.Retry(context, store, sweep.Name, retryFailed, retryDiverged);
        store.SetSweepStatus(sweep.Name, SweepStatus.Running);

        var done = store.TrialsOf(sweep.Name).Count(t => t.Status is TrialStatus.Finished or TrialStatus.Pruned or TrialStatus.Failed or TrialStatus.Diverged);
        // An adaptive sweep stores its trials as it proposes them; its size is the spec's trials: N.
        var total = sweep.Proposer?.Trials ?? expanded;
        ITrialSource source = sweep.Proposer is { } proposer ? new TpeTrialSource(proposer, sweep.Objective) : FixedTrialSource.Instance;
        var progress = new SweepProgress(sweep.Name, total, done, context.Time);
        context.Out.WriteLine($"{sweep.Name}: {total} trials, {done} already ended, running on {Describe(runner, cluster, slots)}; results in {dbPath}, log in {ClusterSettings.LogFileFor(dbPath)}");
        var scheduler = new SweepScheduler(store, new OrleansTrialRunner(runner), sweep, source, progress, new SchedulerOptions { MaxFailures = maxFailures }, context.Time);

        SweepOutcome outcome;
        // The sweep stops for Ctrl-C, for a lease another client took over, and for a cluster left without silos.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease.Lost, runner.Lost);
        var running = scheduler.RunAsync(stopping.Token);
        try
        {
            await ProgressView.ShowAsync(context.Out, progress, context.Interactive, context.TerminalSize, running);
            outcome = await running;
        }
        catch (OperationCanceledException) when (lease.Lost.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return context.Fail(ExitCodes.Busy, $"{dbPath}: another client took over sweep '{sweep.Name}' after this one missed its lease " +
                                                "heartbeats; stopped here, what this client stored is kept");
        }
        catch (OperationCanceledException) when (runner.Lost.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return context.Fail(ExitCodes.ClusterLost, $"{runner.LostReason}; finished trials and checkpoints are kept in {dbPath}; " +
                                                       "start a silo and run the same command to go on");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            context.Err.WriteLine($"vaesweep: interrupted; finished trials and checkpoints are kept in {dbPath}; run the same command to go on");
            return ExitCodes.Interrupted;
        }
        catch (ResultsStoreException e)
        {
            // The store refused to record an end that is not one (e.g. finished with a trial still owed its result).
            return context.Fail(ExitCodes.Database, e.Message);
        }

        TopCommand.Write(context, store, sweep.Name, limit: 10, Ranking.OutputFormat.Table);
        return outcome switch
        {
            SweepOutcome.Finished => ExitCodes.Ok,
            SweepOutcome.Cancelled => context.Fail(ExitCodes.Interrupted, $"sweep '{sweep.Name}' was cancelled"),
            _ => context.Fail(ExitCodes.TrialsFailed, $"sweep '{sweep.Name}' ended with failed or diverged trials; `vaesweep status {sweep.Name}` lists them"),
        };
    }

    private static string Describe(ClusterTrialRunner runner, ClusterAddress? cluster, int? slots) =>
        cluster is null ? $"the embedded silo ({slots ?? new EmbeddedClusterOptions().Slots} slots)" : $"the cluster at {cluster}";
}
