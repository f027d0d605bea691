using System.CommandLine;
using VaeSweep.Client.Progress;
using VaeSweep.Client.Scheduling;
using VaeSweep.Client.Scheduling.Sources;
using VaeSweep.Client.Spec;
using VaeSweep.Client.Store;
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
        var command = new Command("run", "Run a sweep; running it again finishes what is missing and repeats nothing that finished")
        {
            spec, db, slots, cluster, maxFailures,
        };
        command.SetAction((parse, ct) => RunAsync(context, parse.GetValue(spec)!, parse.GetValue(db)!, parse.GetValue(slots),
            parse.GetValue(cluster), parse.GetValue(maxFailures), ct));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, string specPath, string dbPath, int? slots, string? clusterOption,
        int maxFailures, CancellationToken cancellationToken)
    {
        if (slots is < 1) return context.Fail(ExitCodes.Usage, $"--slots: must be at least 1, got {slots}");
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
        using var logging = ClusterSettings.Logging(LogLevel.Information, LogLevel.Error, cancellationToken);
        ClusterTrialRunner runner;
        try
        {
            runner = await TrialRunners.OpenAsync(context, cluster, slots, logging, cancellationToken);
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

        using var __ = store;
        try
        {
            store.CreateSweep(sweep.Name, sweep.Text);
        }
        catch (ResultsStoreException e)
        {
            return context.Fail(ExitCodes.BadSpec, $"{specPath}: {e.Message}");
        }

        if (store.GetSweep(sweep.Name)?.Status == SweepStatus.Cancelled)
            context.Out.WriteLine($"{sweep.Name}: was cancelled; reopening {store.ReopenSweep(sweep.Name)} trial(s)");

        var trials = sweep.Expand();
        store.AddTrials(sweep.Name, trials.Select((t, i) => NewTrial.From(t.Id, i, t.Config, t.CanonicalJson)));
        store.SetSweepStatus(sweep.Name, SweepStatus.Running);

        var done = store.TrialsOf(sweep.Name).Count(t => t.Status is TrialStatus.Finished or TrialStatus.Pruned or TrialStatus.Failed or TrialStatus.Diverged);
        // An adaptive sweep stores its trials as it proposes them; its size is the spec's trials: N.
        var total = sweep.Proposer?.Trials ?? trials.Count;
        ITrialSource source = sweep.Proposer is { } proposer ? new TpeTrialSource(proposer) : FixedTrialSource.Instance;
        var progress = new SweepProgress(sweep.Name, total, done, context.Time);
        context.Out.WriteLine($"{sweep.Name}: {total} trials, {done} already ended, running on {Describe(runner, cluster, slots)}; results in {dbPath}");
        var scheduler = new SweepScheduler(store, runner, sweep, source, progress, new SchedulerOptions { MaxFailures = maxFailures }, context.Time);

        SweepOutcome outcome;
        var running = scheduler.RunAsync(cancellationToken);
        try
        {
            await ProgressView.ShowAsync(context.Out, progress, context.Interactive, context.TerminalSize, running);
            outcome = await running;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            context.Err.WriteLine($"vaesweep: interrupted; finished trials and checkpoints are kept in {dbPath}; run the same command to go on");
            return ExitCodes.Interrupted;
        }

        TopCommand.Write(context, store, sweep.Name, limit: 10, Ranking.OutputFormat.Table);
        return outcome switch
        {
            SweepOutcome.Finished => ExitCodes.Ok,
            SweepOutcome.Cancelled => context.Fail(ExitCodes.Interrupted, $"sweep '{sweep.Name}' was cancelled"),
            _ => context.Fail(ExitCodes.TrialsFailed, $"sweep '{sweep.Name}' ended with failed or diverged trials; `vaesweep status {sweep.Name}` lists them"),
        };
    }

    private static string Describe(ITrialRunner runner, ClusterAddress? cluster, int? slots) =>
        cluster is null ? $"the embedded silo ({slots ?? new EmbeddedClusterOptions().Slots} slots)" : $"the cluster at {cluster}";
}
