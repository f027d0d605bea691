using System.CommandLine;
using System.Globalization;
using VaeSweep.Client.Store;
using VaeSweep.Model;

namespace VaeSweep.Client.Commands;

/// <summary><c>show TRIAL</c>: one trial's configuration, history, per-epoch metrics and estimates.</summary>
internal static class ShowCommand
{
    public static Command Create(CliContext context)
    {
        var trial = new Argument<string>("TRIAL") { Description = "Trial id or a unique prefix of it" };
        var db = CommonOptions.Database(context);
        var format = CommonOptions.Format("Output format (json: every stored field but the per-example values)", Ranking.OutputFormat.Table, Ranking.OutputFormat.Json);
        var command = new Command("show", "Show one trial: configuration, status, epochs and held-out estimates") { trial, db, format };
        command.SetAction(parse =>
        {
            if (!ReadStore.TryOpen(context, parse.GetValue(db)!, out var store)) return ExitCodes.Database;
            using (store)
            {
                TrialRecord t;
                try
                {
                    t = store.GetTrial(parse.GetValue(trial)!);
                }
                catch (ResultsStoreException e)
                {
                    return context.Fail(ExitCodes.NotFound, e.Message);
                }

                if (parse.GetValue(format) == Ranking.OutputFormat.Json) WriteJson(context.Out, store, t);
                else Write(context.Out, store, t);
                return ExitCodes.Ok;
            }
        });
        return command;
    }

    private static void WriteJson(TextWriter o, ResultsStore store, TrialRecord t) => JsonOutput.Write(o, new
    {
        Trial = t.TrialId,
        Status = t.Status.ToDb(),
        t.Attempts,
        t.StartedAttempts,
        Host = string.IsNullOrEmpty(t.Host) ? null : t.Host,
        t.Error,
        t.DivergedEpoch,
        t.CreatedAt,
        t.StartedAt,
        t.FinishedAt,
        t.Seconds,
        t.Engine,
        // The stored canonical JSON as an object, not a string inside a string.
        Config = System.Text.Json.JsonDocument.Parse(t.ConfigJson).RootElement,
        Rungs = store.DecisionsOfTrial(t.TrialId).Select(d => new
        {
            Epoch = d.Rung, d.Rule, d.Metric, d.Score, d.Cutoff, d.Compared, Verdict = d.Verdict.ToString().ToLowerInvariant(),
        }),
        Epochs = store.EpochsOf(t.TrialId).Select(e => new { e.Attempt, e.Metrics.Epoch, e.Metrics.TrainObjective, e.Metrics.TrainElbo,
            e.Metrics.TrainKl, e.Metrics.TrainRecon, e.Metrics.ValidationElbo, e.Metrics.ValidationKl, e.Metrics.ValidationRecon,
            e.Metrics.WallSeconds, e.Metrics.SamplesPerSecond }),
        Estimates = new[] { Split.Validation, Split.Test }.Select(split => store.GetEvaluation(t.TrialId, split)).OfType<EvaluationRecord>()
            .Select(ev => new { ev.Estimate.Split, ev.Attempt, K = ev.Estimate.ImportanceSamples, N = ev.Estimate.Examples, ev.Estimate.Mean,
                ev.Estimate.StandardError, ev.Estimate.MeanElbo }),
    });

    private static void Write(TextWriter o, ResultsStore store, TrialRecord t)
    {
        var c = CultureInfo.InvariantCulture;
        o.WriteLine($"trial     {t.TrialId}");
        o.WriteLine($"status    {t.Status.ToDb()} after {t.Attempts} attempt(s), {t.StartedAttempts} started{(t.Host is { Length: > 0 } h ? $", last on {h}" : "")}");
        if (t.Error is not null) o.WriteLine($"error     {t.Error}{(t.DivergedEpoch is { } de ? $" (epoch {de})" : "")}");
        o.WriteLine(string.Create(c, $"timing    created {t.CreatedAt:u}, started {t.StartedAt:u}, finished {t.FinishedAt:u}, {t.Seconds:F1} s"));
        if (t.Engine is not null) o.WriteLine($"engine    {t.Engine}");
        o.WriteLine($"config    {t.ConfigJson}");
        var label = "rungs    ";
        foreach (var d in store.DecisionsOfTrial(t.TrialId))
        {
            var against = d.Cutoff is { } cut
                ? string.Create(c, $"{d.Score:F3} {(d.Verdict == RungVerdict.Prune ? "<" : ">=")} cutoff {cut:F3}")
                : string.Create(c, $"{d.Score:F3}, too few earlier trials to judge");
            o.WriteLine($"{label} epoch {d.Rung}: {d.Verdict.ToString().ToLowerInvariant()} by {d.Rule} ({d.Metric} {against}; {d.Compared} earlier trial(s) there)");
            label = "         ";
        }
        var epochs = store.EpochsOf(t.TrialId);
        if (epochs.Count > 0)
        {
            o.WriteLine();
            o.WriteLine("epoch  objective  train_elbo  valid_elbo  valid_kl  valid_recon  seconds  samples/s");
            foreach (var e in epochs)
            {
                var m = e.Metrics;
                o.WriteLine(string.Create(c, $"{m.Epoch,5}  {m.TrainObjective,9:F3}  {m.TrainElbo,10:F3}  {m.ValidationElbo,10:F3}  {m.ValidationKl,8:F3}  {m.ValidationRecon,11:F3}  {m.WallSeconds,7:F1}  {m.SamplesPerSecond,9:F0}"));
            }
        }

        foreach (var split in new[] { Split.Validation, Split.Test })
        {
            if (store.GetEvaluation(t.TrialId, split) is not { } ev) continue;
            var x = ev.Estimate;
            o.WriteLine(string.Create(c, $"{x.Split,-10} log p(x) ≈ {x.Mean:F3} ± {x.StandardError:F3} (K = {x.ImportanceSamples}, n = {x.Examples}; ELBO {x.MeanElbo:F3})"));
            if (x.Latent is { } l)
            {
                o.WriteLine(string.Create(c, $"{"",-10} active units {l.ActiveUnits} of {l.LatentSize} (Cov_x E[z_u|x] > {l.ActiveThreshold:G3}); rate {l.Rate:F3}, distortion {l.Distortion:F3}, log p(x) − ELBO {x.Mean - x.MeanElbo:F3}"));
                o.WriteLine($"{"",-10} KL per unit {string.Join(" ", l.KlPerDimension.Select(k => k.ToString("F2", c)))}");
            }
        }
    }
}
