using Dapper;
using Microsoft.Data.Sqlite;
using VaeSweep.Client.Tests.Fixtures;

namespace VaeSweep.Client.Tests.Scheduling;

/// <summary>
/// Early stopping end to end: `vaesweep run` on the embedded silo, decisions checked against an oracle computed
/// from the stored curves alone, and the same decisions however the trials were run.
/// </summary>
public sealed class EarlyStoppingRunTests
{
    private const int Epochs = 9;

    /// <summary>
    /// Ten trials of nine epochs; learning rates from hopeless to good, so a schedule has something to stop. The
    /// first trials are good ones: a trial is only judged against those before it, so the first few always go on.
    /// </summary>
    private static string Spec(string data, string schedule, string name = "es", string lr = "[0.003, 0.01, 0.00001, 0.001, 0.0001]") => $$"""
        name: {{name}}
        dataset: { name: blobs, path: {{data}}, validation: 40 }
        model: { hidden: [16], activation: relu, likelihood: gaussian, sigma: 0.3 }
        train: { epochs: {{Epochs}}, batch_size: 32, seed: 1 }
        eval: { importance_samples: 10, examples: 20 }
        schedule: {{schedule}}
        sweep:
          strategy: grid
          parameters:
            lr: {{lr}}
            latent: [2, 3]
        """;

    internal const string Asha = "{ kind: asha, grace: 1, reduction: 3, min_trials: 2 }";

    internal static string WriteSpec(TempDirectory dir, string schedule, int trainImages = 240, string name = "es", string? lr = null)
    {
        var data = IdxFiles.Write(dir.File("data"), train: trainImages);
        var path = dir.File($"{name}.yaml");
        File.WriteAllText(path, lr is null ? Spec(data, schedule, name) : Spec(data, schedule, name, lr));
        return path;
    }

    private static SqliteConnection Open(string path)
    {
        var c = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        c.Open();
        return c;
    }

    private sealed record Decision(string TrialId, long Ordinal, long Rung, string Verdict, double? Score, double? Cutoff, long Compared);

    private static List<Decision> Decisions(SqliteConnection db) => db.Query<Decision>("""
        SELECT d.trial_id AS TrialId, st.ordinal AS Ordinal, d.rung AS Rung, d.verdict AS Verdict, d.score AS Score,
               d.cutoff AS Cutoff, d.compared AS Compared
        FROM rung_decisions d JOIN sweep_trials st ON st.trial_id = d.trial_id ORDER BY st.ordinal, d.rung
        """).ToList();

    /// <summary>Each trial's stored validation ELBO by epoch, with its place in the sweep.</summary>
    private static Dictionary<string, (long Ordinal, List<double> Curve)> Curves(SqliteConnection db)
    {
        var curves = db.Query<(string TrialId, long Ordinal)>("SELECT trial_id, ordinal FROM sweep_trials")
            .ToDictionary(t => t.TrialId, t => (t.Ordinal, new List<double>()));
        foreach (var (trial, epoch, elbo) in db.Query<(string, long, double)>("SELECT trial_id, epoch, valid_elbo FROM epochs ORDER BY trial_id, epoch"))
        {
            Assert.Equal(curves[trial].Item2.Count + 1, epoch);
            curves[trial].Item2.Add(elbo);
        }
        return curves;
    }

    [Fact]
    public async Task Asha_prunes_at_its_rungs_and_every_decision_follows_from_the_earlier_trials_curves()
    {
        using var dir = new TempDirectory();
        var spec = WriteSpec(dir, Asha);

        var run = await CliRun.InvokeAsync(dir.Path, "run", spec, "--db", dir.File("r.db"));

        Assert.True(run.ExitCode == 0, run.ToString());
        using var db = Open(dir.File("r.db"));
        var curves = Curves(db);
        var decisions = Decisions(db);
        var statuses = db.Query<(string, string)>("SELECT trial_id, status FROM trials").ToDictionary(t => t.Item1, t => t.Item2);
        Assert.Contains("pruned", statuses.Values);
        Assert.Contains("finished", statuses.Values);
        Assert.True(curves.Values.Sum(c => c.Curve.Count) < 10 * Epochs, "pruning saved no epochs");

        // The oracle: ASHA by its definition, over the stored curves of the trials before each one in sweep order.
        foreach (var d in decisions)
        {
            var own = curves[d.TrialId].Curve;
            var references = curves.Values.Where(c => c.Ordinal < d.Ordinal && c.Curve.Count >= d.Rung).Select(c => c.Curve[(int)d.Rung - 1]).ToList();
            var label = $"trial {d.Ordinal} at epoch {d.Rung}";
            Assert.True(d.Compared == references.Count, $"{label}: compared with {d.Compared}, the curves show {references.Count}");
            Assert.Equal(own[(int)d.Rung - 1], d.Score);
            if (references.Count < 2)
            {
                Assert.Equal(("continue", (double?)null), (d.Verdict, d.Cutoff));
                continue;
            }
            var all = references.Append(own[(int)d.Rung - 1]).OrderDescending().ToList();
            var cutoff = all[Math.Max(1, all.Count / 3) - 1];
            Assert.Equal(cutoff, d.Cutoff);
            Assert.True((own[(int)d.Rung - 1] < cutoff ? "prune" : "continue") == d.Verdict, $"{label}: {d.Verdict} with score {d.Score} against cutoff {cutoff}");
        }

        // Every trial was judged at every rung it reached, and a pruned trial's curve ends at the rung that stopped it.
        foreach (var (id, (_, curve)) in curves)
        {
            var judged = decisions.Where(d => d.TrialId == id).ToList();
            Assert.Equal(new long[] { 1, 3 }.Where(r => r <= curve.Count), judged.Select(d => d.Rung));
            if (statuses[id] == "pruned")
                Assert.Equal(("prune", (long)curve.Count), (judged[^1].Verdict, judged[^1].Rung));
            else
                Assert.Equal(("finished", Epochs), (statuses[id], curve.Count));
        }
        Assert.Equal(0L, db.ExecuteScalar<long>("SELECT count(*) FROM evaluations e JOIN trials t USING (trial_id) WHERE t.status = 'pruned'"));
        Assert.Equal(0L, db.ExecuteScalar<long>("SELECT count(*) FROM checkpoints"));
    }

    [Fact]
    public async Task The_same_spec_stops_the_same_trials_with_one_slot_or_two_and_a_second_run_repeats_nothing()
    {
        using var dir = new TempDirectory();
        var spec = WriteSpec(dir, Asha);

        var one = await CliRun.InvokeAsync(dir.Path, "run", spec, "--db", dir.File("one.db"), "--slots", "1");
        var two = await CliRun.InvokeAsync(dir.Path, "run", spec, "--db", dir.File("two.db"), "--slots", "2");

        Assert.True(one.ExitCode == 0, one.ToString());
        Assert.True(two.ExitCode == 0, two.ToString());
        Assert.Equal(Snapshot(dir.File("one.db")), Snapshot(dir.File("two.db")));

        var before = Snapshot(dir.File("two.db"));
        var again = await CliRun.InvokeAsync(dir.Path, "run", spec, "--db", dir.File("two.db"));
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("10 already ended", again.Out);
        Assert.Equal(before, Snapshot(dir.File("two.db")));
    }

    [Fact]
    public async Task An_interrupted_asha_sweep_resumes_to_the_decisions_of_an_uninterrupted_one()
    {
        using var dir = new TempDirectory();
        var spec = WriteSpec(dir, Asha, trainImages: 2000);
        var whole = await CliRun.InvokeAsync(dir.Path, "run", spec, "--db", dir.File("whole.db"));
        Assert.True(whole.ExitCode == 0, whole.ToString());

        using var cts = new CancellationTokenSource();
        var first = CliRun.InvokeAsync(dir.Path, cts.Token, "run", spec, "--db", dir.File("cut.db"), "--slots", "1");
        var until = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (!first.IsCompleted && Count(dir.File("cut.db"), "SELECT count(*) FROM rung_decisions") < 4 && DateTime.UtcNow < until)
            await Task.Delay(20);
        await cts.CancelAsync();
        var cut = await first;
        var resumed = await CliRun.InvokeAsync(dir.Path, "run", spec, "--db", dir.File("cut.db"));

        Assert.True(cut.ExitCode is ExitCodes.Interrupted, cut.ToString());
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Equal(Snapshot(dir.File("whole.db")), Snapshot(dir.File("cut.db")));
    }

    [Fact]
    public async Task Pruned_trials_evaluated_at_their_rung_rank_below_the_finished_and_reproduce_bit_for_bit()
    {
        using var dir = new TempDirectory();
        var spec = WriteSpec(dir, "{ kind: asha, grace: 1, reduction: 3, min_trials: 2, evaluate_pruned: true }");
        var db = dir.File("r.db");

        var run = await CliRun.InvokeAsync(dir.Path, "run", spec, "--db", db);

        Assert.True(run.ExitCode == 0, run.ToString());
        using (var c = Open(db))
        {
            Assert.Equal(0L, c.ExecuteScalar<long>("SELECT count(*) FROM trials t WHERE NOT EXISTS (SELECT 1 FROM evaluations e WHERE e.trial_id = t.trial_id AND e.split = 'validation')"));
            Assert.Equal(0L, c.ExecuteScalar<long>("SELECT count(*) FROM trials t WHERE status = 'pruned' AND NOT EXISTS (SELECT 1 FROM trial_weights w WHERE w.trial_id = t.trial_id)"));
        }

        var top = await CliRun.InvokeAsync(dir.Path, "top", "--db", db, "--format", "csv", "--limit", "0");
        var rows = top.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')).ToList();
        var statusColumn = Array.IndexOf(top.Out.Split('\n')[0].Split(','), "status");
        var rankColumn = Array.IndexOf(top.Out.Split('\n')[0].Split(','), "rank");
        var statuses = rows.Select(r => r[statusColumn]).ToList();
        Assert.Equal(10, rows.Count);
        Assert.Contains("pruned", statuses);
        Assert.Equal(statuses.OrderBy(s => s == "pruned"), statuses); // every finished trial above every pruned one
        Assert.Equal(Enumerable.Range(1, 10).Select(i => i.ToString()), rows.Select(r => r[rankColumn]));

        var prunedId = rows.First(r => r[statusColumn] == "pruned")[0];
        var show = await CliRun.InvokeAsync(dir.Path, "show", prunedId, "--db", db);
        Assert.Contains("status    pruned", show.Out);
        Assert.Matches(@"epoch \d: prune by asha \(val_elbo -?[\d.]+ < cutoff", show.Out);

        var reproduce = await CliRun.InvokeAsync(dir.Path, "reproduce", prunedId, "--db", db);
        Assert.True(reproduce.ExitCode == 0, reproduce.ToString());
        Assert.Contains("where it was pruned", reproduce.Out);
        Assert.Contains("reproduced bit for bit", reproduce.Out);
    }

    [Fact]
    public async Task Median_stopping_judges_every_epoch_after_grace_and_prunes_the_hopeless()
    {
        using var dir = new TempDirectory();
        var spec = WriteSpec(dir, "{ kind: median, grace: 2, min_trials: 2 }");

        var run = await CliRun.InvokeAsync(dir.Path, "run", spec, "--db", dir.File("r.db"));

        Assert.True(run.ExitCode == 0, run.ToString());
        using var db = Open(dir.File("r.db"));
        var curves = Curves(db);
        var decisions = Decisions(db);
        Assert.Contains(decisions, d => d.Verdict == "prune");
        Assert.All(decisions, d => Assert.InRange(d.Rung, 2, Epochs - 1));
        foreach (var (id, (_, curve)) in curves)
        {
            var judged = decisions.Where(d => d.TrialId == id).Select(d => d.Rung).ToList();
            Assert.Equal(Enumerable.Range(2, Math.Max(0, Math.Min(curve.Count, Epochs - 1) - 1)).Select(r => (long)r), judged);
        }
        // The slowest learning rate (trials 4 and 5, after four good ones) cannot keep up with the median.
        var hopeless = db.Query<string>("SELECT status FROM trials WHERE lr < 0.00002").ToList();
        Assert.All(hopeless, s => Assert.Equal("pruned", s));
    }

    [Fact]
    public async Task A_trial_that_diverges_before_a_rung_does_not_hold_up_the_trials_after_it()
    {
        // Trials 0 and 1 diverge in their first epoch: they never score at epoch 1, and the others must not wait for them.
        using var dir = new TempDirectory();
        var spec = WriteSpec(dir, Asha, lr: "[1.0e+30, 0.003, 0.01, 0.00001]");

        var run = await CliRun.InvokeAsync(dir.Path, "run", spec, "--db", dir.File("r.db"), "--slots", "1")
            .WaitAsync(TimeSpan.FromMinutes(2));

        Assert.True(run.ExitCode == ExitCodes.TrialsFailed, run.ToString());
        using var db = Open(dir.File("r.db"));
        Assert.Equal(2L, db.ExecuteScalar<long>("SELECT count(*) FROM trials WHERE status = 'diverged'"));
        Assert.Equal(0L, db.ExecuteScalar<long>("SELECT count(*) FROM trials WHERE status NOT IN ('diverged', 'finished', 'pruned')"));
        Assert.Equal(0L, db.ExecuteScalar<long>("SELECT count(*) FROM rung_decisions d JOIN trials t USING (trial_id) WHERE t.status = 'diverged'"));
        Assert.Equal(0L, db.ExecuteScalar<long>("SELECT max(compared) FROM rung_decisions WHERE rung = 1 AND trial_id IN (SELECT trial_id FROM sweep_trials WHERE ordinal = 2)"));
    }

    private static long Count(string path, string sql)
    {
        try
        {
            using var db = Open(path);
            return db.ExecuteScalar<long>(sql);
        }
        catch (SqliteException)
        {
            return 0; // not created yet
        }
    }

    /// <summary>What must not depend on how the sweep ran: statuses, curves (bit for bit) and decisions.</summary>
    internal static string Snapshot(string path)
    {
        using var db = Open(path);
        var lines = new List<string>();
        lines.AddRange(db.Query<string>("SELECT trial_id || ' ' || status FROM trials ORDER BY trial_id"));
        lines.AddRange(db.Query<(string, long, double)>("SELECT trial_id, epoch, valid_elbo FROM epochs ORDER BY trial_id, epoch")
            .Select(e => $"{e.Item1} {e.Item2} {BitConverter.DoubleToInt64Bits(e.Item3):X}"));
        lines.AddRange(Decisions(db).Select(d => $"{d.TrialId} {d.Rung} {d.Verdict} {d.Score:R} {d.Cutoff:R} {d.Compared}"));
        lines.AddRange(db.Query<string>("SELECT trial_id || ' ' || split || ' ' || quote(mean) FROM evaluations ORDER BY trial_id, split"));
        return string.Join('\n', lines);
    }
}
