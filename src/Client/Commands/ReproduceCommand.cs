using System.CommandLine;
using VaeSweep.Client.Spec;
using VaeSweep.Client.Store;
using VaeSweep.Contracts;
using VaeSweep.Model;
using VaeSweep.Grains;

namespace VaeSweep.Client.Commands;

/// <summary>
/// <c>reproduce TRIAL</c>: trains a stored trial again from its stored configuration, in this process,
/// and checks every stored metric bit for bit (wall-clock figures aside). Writes nothing.
/// </summary>
internal static class ReproduceCommand
{
    public static Command Create(CliContext context)
    {
        var trial = new Argument<string>("TRIAL") { Description = "Trial id or a unique prefix of it" };
        var db = CommonOptions.Database(context);
        var command = new Command("reproduce", "Re-run a stored trial from its stored spec and report whether its metrics match bit for bit") { trial, db };
        command.SetAction((parse, ct) => RunAsync(context, parse.GetValue(trial)!, parse.GetValue(db)!, ct));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, string trialPrefix, string dbPath, CancellationToken cancellationToken)
    {
        if (!ReadStore.TryOpen(context, dbPath, out var store)) return ExitCodes.Database;
        using (store)
        {
            TrialRecord stored;
            try
            {
                stored = store.GetTrial(trialPrefix);
            }
            catch (ResultsStoreException e)
            {
                return context.Fail(ExitCodes.NotFound, e.Message);
            }

            if (stored.Status is not (TrialStatus.Finished or TrialStatus.Pruned or TrialStatus.Diverged))
                return context.Fail(ExitCodes.NotFound, $"trial {stored.TrialId[..16]} is {stored.Status.ToDb()}; only finished, pruned or diverged trials can be reproduced");

            var trial = ResolvedTrial.FromCanonicalJson(stored.ConfigJson);
            if (trial.Id != stored.TrialId)
                return context.Fail(ExitCodes.Database, $"trial {stored.TrialId}: its stored config hashes to {trial.Id}; the stored config was altered");

            // A pruned trial is re-run to the rung where it stopped, and evaluated there only if it was.
            int? pauseAfter = null, finishAt = null;
            if (stored.Status == TrialStatus.Pruned)
            {
                var rung = store.EpochsOf(stored.TrialId).Count;
                if (store.GetEvaluation(stored.TrialId, Split.Validation) is null) pauseAfter = rung;
                else finishAt = rung;
            }
            var epochs = pauseAfter ?? finishAt ?? stored.Epochs;
            context.Out.WriteLine($"reproducing {stored.TrialId[..16]} ({epochs} epochs{(epochs < stored.Epochs ? $" of {stored.Epochs}, where it was pruned" : "")}) in this process...");
            var events = await RerunAsync(context, trial, pauseAfter, finishAt, cancellationToken);
            var mismatches = Compare(store, stored, events);
            foreach (var m in mismatches) context.Out.WriteLine($"  MISMATCH {m}");
            if (mismatches.Count > 0)
                return context.Fail(ExitCodes.NotReproduced, $"trial {stored.TrialId[..16]}: {mismatches.Count} metric(s) differ from the stored run" + EngineNote(stored.Engine, TrainerFactory.Descriptor(trial.Config.Engine, trial.Config.Threads)));
            context.Out.WriteLine($"trial {stored.TrialId[..16]}: reproduced bit for bit ({store.EpochsOf(stored.TrialId).Count} epochs, held-out estimates and per-example values)");
            return ExitCodes.Ok;
        }
    }

    /// <summary>Why bits may differ when the stored run came from another engine build or SIMD width; empty when they match.</summary>
    private static string EngineNote(string? stored, string rerun) => stored == rerun
        ? ""
        : $" (stored by {stored ?? "an engine that did not record itself"}, re-run by {rerun}: " +
          "bit-for-bit agreement is only expected from the same engine build: numerics version and SIMD width, or libtorch version and threads)";

    /// <summary>The engine run as a silo runs it, on a thread of this process: no cluster is needed to check bits.</summary>
    private static async Task<List<TrialEvent>> RerunAsync(
        CliContext context, ResolvedTrial trial, int? pauseAfter, int? finishAt, CancellationToken cancellationToken)
    {
        var d = trial.Dataset;
        var work = new TrialWork("reproduce", trial.Id, 1, trial.Config, d.ToRef(), null,
            pauseAfter, finishAt);
        var events = new List<TrialEvent>();
        var attempt = new TrialAttempt(new DatasetCache(), $"{Environment.MachineName}/reproduce", context.Time);
        await Task.Factory.StartNew(() => attempt.Run(work, events.Add, cancellationToken), cancellationToken,
            TaskCreationOptions.LongRunning, TaskScheduler.Default);
        return events;
    }

    private static List<string> Compare(ResultsStore store, TrialRecord stored, List<TrialEvent> events)
    {
        var mismatches = new List<string>();
        if (events.OfType<TrialFailed>().FirstOrDefault() is { } failed)
            return [$"the re-run failed: {failed.Error}"];

        var epochs = events.OfType<EpochCompleted>().ToDictionary(e => e.Metrics.Epoch, e => e.Metrics);
        foreach (var record in store.EpochsOf(stored.TrialId))
        {
            var s = record.Metrics;
            if (!epochs.TryGetValue(s.Epoch, out var r))
            {
                mismatches.Add($"epoch {s.Epoch}: stored, but the re-run did not reach it");
                continue;
            }

            Check(mismatches, $"epoch {s.Epoch} train_objective", s.TrainObjective, r.TrainObjective);
            Check(mismatches, $"epoch {s.Epoch} train_elbo", s.TrainElbo, r.TrainElbo);
            Check(mismatches, $"epoch {s.Epoch} train_kl", s.TrainKl, r.TrainKl);
            Check(mismatches, $"epoch {s.Epoch} train_recon", s.TrainRecon, r.TrainRecon);
            Check(mismatches, $"epoch {s.Epoch} valid_elbo", s.ValidationElbo, r.ValidationElbo);
            Check(mismatches, $"epoch {s.Epoch} valid_kl", s.ValidationKl, r.ValidationKl);
            Check(mismatches, $"epoch {s.Epoch} valid_recon", s.ValidationRecon, r.ValidationRecon);
        }

        if (stored.Status == TrialStatus.Diverged)
        {
            var diverged = events.OfType<TrialDiverged>().FirstOrDefault();
            if (diverged is null || diverged.Epoch != stored.DivergedEpoch)
                mismatches.Add($"stored run diverged at epoch {stored.DivergedEpoch}; the re-run {(diverged is null ? "did not diverge" : $"diverged at epoch {diverged.Epoch}")}");
            return mismatches;
        }

        var storedEpochs = store.EpochsOf(stored.TrialId).Count;
        if (epochs.Count != storedEpochs) mismatches.Add($"the re-run trained {epochs.Count} epochs; {storedEpochs} are stored");
        if (events.OfType<TrialPaused>().Any()) return mismatches;
        var finished = events.OfType<TrialFinished>().FirstOrDefault();
        if (finished is null) return [.. mismatches, "the re-run did not finish"];
        foreach (var (split, rerun) in new[] { (Split.Validation, finished.Validation), (Split.Test, finished.Test) })
        {
            if (store.GetEvaluation(stored.TrialId, split) is not { } ev)
            {
                mismatches.Add($"{split}: no stored estimate");
                continue;
            }

            var s = ev.Estimate;
            Check(mismatches, $"{s.Split} mean", s.Mean, rerun.Mean);
            Check(mismatches, $"{s.Split} standard error", s.StandardError, rerun.StandardError);
            Check(mismatches, $"{s.Split} mean ELBO", s.MeanElbo, rerun.MeanElbo);
            var differing = s.PerExample.Length != rerun.PerExample.Length
                ? -1
                : Enumerable.Range(0, s.PerExample.Length).Count(i => !Same(s.PerExample[i], rerun.PerExample[i]));
            if (differing != 0)
                mismatches.Add(differing < 0 ? $"{s.Split} per-example: {s.PerExample.Length} stored, {rerun.PerExample.Length} re-run" : $"{s.Split} per-example: {differing} of {s.PerExample.Length} values differ");
            // Statistics are compared when both have them: a trial stored before schema 8 has none to compare.
            if (s.Latent is { } a && rerun.Latent is { } b)
            {
                Check(mismatches, $"{s.Split} rate", a.Rate, b.Rate);
                Check(mismatches, $"{s.Split} distortion", a.Distortion, b.Distortion);
                if (a.ActiveUnits != b.ActiveUnits) mismatches.Add($"{s.Split} active units: stored {a.ActiveUnits}, re-run {b.ActiveUnits}");
                if (!a.KlPerDimension.Select(BitConverter.DoubleToInt64Bits).SequenceEqual(b.KlPerDimension.Select(BitConverter.DoubleToInt64Bits)))
                    mismatches.Add($"{s.Split} KL per unit differs");
            }
        }

        return mismatches;
    }

    private static void Check(List<string> mismatches, string what, double stored, double rerun)
    {
        if (!Same(stored, rerun)) mismatches.Add($"{what}: stored {stored:R}, re-run {rerun:R}");
    }

    private static bool Same(double a, double b) => BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b);
}
