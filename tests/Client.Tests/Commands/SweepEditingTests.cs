using Microsoft.Data.Sqlite;
using VaeSweep.Client.Tests.Fixtures;
using static VaeSweep.Client.Tests.Commands.RunCommandTests;

namespace VaeSweep.Client.Tests.Commands;

/// <summary>Editing a sweep's spec and running it again under the same name, end to end on the embedded silo.</summary>
public sealed class SweepEditingTests
{
    [Fact]
    public async Task Edits_add_remove_and_bring_back_trials_while_cosmetic_changes_are_the_same_version()
    {
        using var dir = new TempDirectory();
        var spec = TinySweep.Write(dir);
        var data = dir.File("data");
        var dbPath = dir.File("r.db");
        Assert.Equal(0, (await Run(dir, spec)).ExitCode);

        // Comments, key order, a description and the order of grid values: the same two trials.
        File.WriteAllText(spec, "# reformatted\n" + TinySweep.Spec(data, latent: "[3, 2]")
            .Replace("model: { hidden: [16], activation: relu, likelihood: gaussian }", "model: { likelihood: gaussian, activation: relu, hidden: [ 16 ] }")
            + "\ndescription: the same sweep\n");
        var same = await Run(dir, spec);
        Assert.True(same.ExitCode == 0, same.ToString());
        Assert.DoesNotContain("version", same.Out);
        Assert.Contains("2 trials, 2 already ended", same.Out);

        File.WriteAllText(spec, TinySweep.Spec(data, latent: "[2, 3, 4]"));
        var grown = await Run(dir, spec);
        Assert.True(grown.ExitCode == 0, grown.ToString());
        Assert.Contains("tiny: version 2: +1 trial, \u22120 trials", grown.Out);
        Assert.Contains("3 trials, 2 already ended", grown.Out);

        File.WriteAllText(spec, TinySweep.Spec(data, latent: "[2, 4]"));
        var shrunk = await Run(dir, spec);
        Assert.True(shrunk.ExitCode == 0, shrunk.ToString());
        Assert.Contains("tiny: version 3: +0 trials, \u22121 trial", shrunk.Out);
        Assert.Equal(2, await TopRows(dir));
        using (var db = Open(dbPath))
        {
            Assert.Equal(3L, Scalar(db, "SELECT count(*) FROM trials WHERE status = 'finished'")); // latent 3 stays stored
            Assert.Equal(0L, Scalar(db, "SELECT count(*) FROM results WHERE latent = 3"));
        }

        File.WriteAllText(spec, TinySweep.Spec(data, latent: "[2, 3, 4]"));
        var back = await Run(dir, spec);
        Assert.True(back.ExitCode == 0, back.ToString());
        Assert.Contains("tiny: version 4: +1 trial, \u22120 trials", back.Out);
        Assert.Contains("3 trials, 3 already ended", back.Out);
        Assert.Equal(3, await TopRows(dir));
        using (var db = Open(dbPath))
        {
            Assert.Equal(3L, Scalar(db, "SELECT sum(attempts) FROM trials")); // nothing ran twice
            Assert.Equal(1L, Scalar(db, "SELECT ordinal FROM results WHERE latent = 3")); // its old place
        }

        var history = await CliRun.InvokeAsync(dir.Path, "history", "tiny", "--db", dbPath);
        Assert.True(history.ExitCode == 0, history.ToString());
        Assert.Contains("tiny: 4 versions", history.Out);
        Assert.Contains("--- version 1", history.Out);
        Assert.Contains("+++ version 2", history.Out);
        Assert.Contains("-    latent: [2, 3]\n", history.Out);
        Assert.Contains("+    latent: [2, 3, 4]\n", history.Out);
        var v3 = Section(history.Out, "version 3", "version 4");
        Assert.Contains("+0 \u22121", v3);
        Assert.Matches(@"\u2212 [0-9a-f]{16} finished +latent 3,", v3);
    }

    [Fact]
    public async Task A_change_to_every_trial_is_a_new_version_of_new_trials_and_the_old_ones_stay_stored()
    {
        using var dir = new TempDirectory();
        var spec = TinySweep.Write(dir, epochs: 2);
        Assert.Equal(0, (await Run(dir, spec)).ExitCode);

        File.WriteAllText(spec, TinySweep.Spec(dir.File("data"), epochs: 3));
        var again = await Run(dir, spec);

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("tiny: version 2: +2 trials, \u22122 trials", again.Out);
        using var db = Open(dir.File("r.db"));
        Assert.Equal(4L, Scalar(db, "SELECT count(*) FROM trials WHERE status = 'finished'"));
        Assert.Equal(2L, Scalar(db, "SELECT count(*) FROM results WHERE epochs = 3"));
        Assert.Equal(0L, Scalar(db, "SELECT count(*) FROM results WHERE epochs = 2"));
    }

    [Fact]
    public async Task A_random_sweep_that_asks_for_more_trials_keeps_the_ones_it_ran()
    {
        using var dir = new TempDirectory();
        var data = IdxFiles.Write(dir.File("data"));
        var spec = dir.File("rnd.yaml");
        string Random(int trials) => TinySweep.Spec(data, name: "rnd", epochs: 1)
            .Replace("strategy: grid", $"strategy: random\n  trials: {trials}\n  seed: 3")
            .Replace("latent: [2, 3]", "latent: { int_uniform: [2, 6] }")
            .Replace("lr: [0.003]", "lr: { log_uniform: [0.001, 0.01] }");
        File.WriteAllText(spec, Random(2));
        var first = await Run(dir, spec);
        Assert.True(first.ExitCode == 0, first.ToString());

        File.WriteAllText(spec, Random(4));
        var more = await Run(dir, spec);

        Assert.True(more.ExitCode == 0, more.ToString());
        Assert.Contains("rnd: version 2: +2 trials, \u22120 trials", more.Out);
        using var db = Open(dir.File("r.db"));
        Assert.Equal(4L, Scalar(db, "SELECT count(*) FROM results WHERE status = 'finished'"));
        Assert.Equal(4L, Scalar(db, "SELECT sum(attempts) FROM trials"));
    }

    [Fact]
    public async Task Retry_failed_gives_failed_trials_new_attempts_after_the_data_is_fixed_and_keeps_their_errors()
    {
        using var dir = new TempDirectory();
        var spec = TinySweep.Write(dir, latent: "[2]");
        var images = Path.Combine(dir.File("data"), "train-images-idx3-ubyte.gz");
        File.WriteAllText(images, "not an IDX file");
        var broken = await Run(dir, spec, "--max-failures", "1");
        Assert.True(broken.ExitCode == ExitCodes.TrialsFailed, broken.ToString());

        IdxFiles.Write(dir.File("data"));
        var plain = await Run(dir, spec);
        Assert.True(plain.ExitCode == ExitCodes.TrialsFailed, plain.ToString()); // a plain re-run leaves it failed
        using (var db = Open(dir.File("r.db")))
            Assert.Equal(1L, Scalar(db, "SELECT attempts FROM trials"));
        // A retry gets a whole --max-failures of attempts, however many failed before.
        File.WriteAllText(images, "still not an IDX file");
        var stillBroken = await Run(dir, spec, "--retry-failed", "--max-failures", "2");
        Assert.True(stillBroken.ExitCode == ExitCodes.TrialsFailed, stillBroken.ToString());
        using (var db = Open(dir.File("r.db")))
            Assert.Equal("failed|3", Text(db, "SELECT status || '|' || attempts FROM trials"));

        IdxFiles.Write(dir.File("data"));
        var retried = await Run(dir, spec, "--retry-failed");

        Assert.True(retried.ExitCode == 0, retried.ToString());
        Assert.Contains("tiny: retrying 1 trial failed", retried.Out);
        using var after = Open(dir.File("r.db"));
        Assert.Equal("finished|4", Text(after, "SELECT status || '|' || attempts FROM trials"));
        Assert.Equal("1,2,3", Text(after, "SELECT group_concat(attempt) FROM (SELECT attempt FROM attempt_failures WHERE error <> '' ORDER BY attempt)"));
    }

    [Fact]
    public async Task Retry_diverged_runs_a_diverged_trial_again_and_says_divergence_is_deterministic()
    {
        using var dir = new TempDirectory();
        var spec = TinySweep.Write(dir, latent: "[2]", lr: "[1.0e+30]");
        Assert.Equal(ExitCodes.TrialsFailed, (await Run(dir, spec)).ExitCode);

        var failedOnly = await Run(dir, spec, "--retry-failed");
        Assert.Contains("retrying 0 trials failed", failedOnly.Out);
        var again = await Run(dir, spec, "--retry-diverged");

        Assert.True(again.ExitCode == ExitCodes.TrialsFailed, again.ToString());
        Assert.Contains("retrying 1 trial diverged; divergence is deterministic", again.Out);
        using var db = Open(dir.File("r.db"));
        Assert.Equal("diverged|2", Text(db, "SELECT status || '|' || attempts FROM trials"));
        Assert.StartsWith("diverged at epoch ", Text(db, "SELECT error FROM attempt_failures WHERE attempt = 1"));
    }

    [Fact]
    public async Task Rm_asks_first_and_removes_the_sweep_and_its_own_trials_in_one_go()
    {
        using var dir = new TempDirectory();
        var spec = TinySweep.Write(dir, epochs: 1);
        var data = dir.File("data");
        File.WriteAllText(dir.File("other.yaml"), TinySweep.Spec(data, name: "other", epochs: 1, latent: "[2]"));
        var dbPath = dir.File("r.db");
        Assert.Equal(0, (await Run(dir, spec)).ExitCode);
        Assert.Equal(0, (await Run(dir, dir.File("other.yaml"))).ExitCode);

        var declined = await CliRun.InvokeWithInputAsync(dir.Path, "n\n", "rm", "tiny", "--db", dbPath);
        Assert.True(declined.ExitCode == ExitCodes.Declined, declined.ToString());
        Assert.Contains("remove sweep 'tiny' (1 version(s), 2 trial(s); 1 trial(s) no other sweep lists are removed", declined.Out);
        var noAnswer = await CliRun.InvokeWithInputAsync(dir.Path, "", "rm", "tiny", "--db", dbPath);
        Assert.Equal(ExitCodes.Declined, noAnswer.ExitCode);
        using (var db = Open(dbPath))
            Assert.Equal(2L, Scalar(db, "SELECT count(*) FROM sweeps"));

        var removed = await CliRun.InvokeWithInputAsync(dir.Path, "y\n", "rm", "tiny", "--db", dbPath);

        Assert.True(removed.ExitCode == 0, removed.ToString());
        Assert.Contains("removed sweep tiny (1 version(s)); removed 1 trial(s), kept 1 another sweep lists", removed.Out);
        using (var db = Open(dbPath))
        {
            Assert.Equal("other", Text(db, "SELECT group_concat(name) FROM sweeps"));
            Assert.Equal(1L, Scalar(db, "SELECT count(*) FROM trials"));
            Assert.Equal(2L, Scalar(db, "SELECT count(*) FROM evaluations"));
            Assert.Equal(1L, Scalar(db, "SELECT count(*) FROM epochs"));
        }
        var top = await CliRun.InvokeAsync(dir.Path, "top", "--db", dbPath, "--sweep", "other", "--format", "csv");
        Assert.Equal(2, top.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        var kept = await CliRun.InvokeAsync(dir.Path, "rm", "other", "--db", dbPath, "--yes", "--keep-trials");
        Assert.True(kept.ExitCode == 0, kept.ToString());
        using var after = Open(dbPath);
        Assert.Equal(0L, Scalar(after, "SELECT count(*) FROM sweeps"));
        Assert.Equal(1L, Scalar(after, "SELECT count(*) FROM trials WHERE status = 'finished' AND sweep_id IS NULL"));
    }

    [Fact]
    public async Task Unknown_sweeps_and_a_spec_that_no_longer_parses_are_refused_with_nothing_written()
    {
        using var dir = new TempDirectory();
        var spec = TinySweep.Write(dir, epochs: 1, latent: "[2]");
        var dbPath = dir.File("r.db");
        Assert.Equal(0, (await Run(dir, spec)).ExitCode);
        var before = File.ReadAllBytes(dbPath);

        var history = await CliRun.InvokeAsync(dir.Path, "history", "nope", "--db", dbPath);
        var rm = await CliRun.InvokeAsync(dir.Path, "rm", "nope", "--db", dbPath, "--yes");
        File.WriteAllText(spec, TinySweep.Spec(dir.File("data"), epochs: 1, latent: "[2, oops]"));
        var broken = await Run(dir, spec);

        Assert.Equal((ExitCodes.NotFound, ExitCodes.NotFound, ExitCodes.BadSpec), (history.ExitCode, rm.ExitCode, broken.ExitCode));
        Assert.Contains("no sweep named 'nope'", history.Err);
        Assert.Contains("no sweep named 'nope'", rm.Err);
        Assert.Contains("latent", broken.Err);
        Assert.Equal(before, File.ReadAllBytes(dbPath));
        var unchanged = await CliRun.InvokeAsync(dir.Path, "history", "tiny", "--db", dbPath);
        Assert.Contains("tiny: 1 version", unchanged.Out);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_edit_after_an_interrupted_run_resumes_the_interrupted_trial_only_if_still_listed(bool stillListed)
    {
        using var dir = new TempDirectory();
        var data = IdxFiles.Write(dir.File("data"), train: 3000);
        var spec = dir.File("tiny.yaml");
        // epochs is swept, so the edit can add a short trial beside the long one that gets interrupted.
        string Spec(string epochs) => TinySweep.Spec(data, latent: "[2]").Replace("epochs: 3, ", "").Replace("lr: [0.003]", $"lr: [0.003]\n    epochs: {epochs}");
        File.WriteAllText(spec, Spec("[300]"));
        var dbPath = dir.File("r.db");

        using var cts = new CancellationTokenSource();
        var first = CliRun.InvokeAsync(dir.Path, cts.Token, "run", spec, "--db", dbPath, "--slots", "1");
        await WaitUntil(() => CheckpointEpoch(dbPath) >= 2, TimeSpan.FromMinutes(2));
        await cts.CancelAsync();
        var interrupted = await first;
        Assert.True(interrupted.ExitCode == ExitCodes.Interrupted, interrupted.ToString());
        string stopped;
        using (var db = Open(dbPath)) stopped = Text(db, "SELECT status || '|' || attempts || '|' || (SELECT count(*) FROM epochs) FROM trials");
        Assert.StartsWith("running|1|", stopped);

        File.WriteAllText(spec, Spec(stillListed ? "[300, 2]" : "[2]"));
        var edited = await Run(dir, spec, "--slots", "1");

        Assert.True(edited.ExitCode == 0, edited.ToString());
        Assert.Contains(stillListed ? "version 2: +1 trial, \u22120 trials" : "version 2: +1 trial, \u22121 trial", edited.Out);
        using var after = Open(dbPath);
        Assert.Equal(1L, Scalar(after, "SELECT count(*) FROM trials WHERE epochs = 2 AND status = 'finished'"));
        var longOne = Text(after, "SELECT status || '|' || attempts || '|' || (SELECT count(*) FROM epochs e WHERE e.trial_id = t.trial_id) FROM trials t WHERE epochs = 300");
        if (stillListed)
        {
            Assert.Equal("finished|2|300", longOne);
            Assert.Equal(2L, Scalar(after, "SELECT count(*) FROM results WHERE status = 'finished'"));
        }
        else
        {
            Assert.Equal(stopped, longOne); // left alone: not resumed, not cancelled, its epochs kept
            Assert.Equal(1L, Scalar(after, "SELECT count(*) FROM results"));
        }
    }

    private static Task<CliRun> Run(TempDirectory dir, string spec, params string[] more) =>
        CliRun.InvokeAsync(dir.Path, ["run", spec, "--db", dir.File("r.db"), .. more]);

    private static async Task<int> TopRows(TempDirectory dir)
    {
        var top = await CliRun.InvokeAsync(dir.Path, "top", "--db", dir.File("r.db"), "--format", "csv");
        Assert.True(top.ExitCode == 0, top.ToString());
        return top.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length - 1;
    }

    private static string Section(string text, string from, string to)
    {
        var start = text.IndexOf("\n" + from + " ", StringComparison.Ordinal);
        var end = text.IndexOf("\n" + to + " ", start + 1, StringComparison.Ordinal);
        return text[start..(end < 0 ? text.Length : end)];
    }

    private static long CheckpointEpoch(string path)
    {
        if (!File.Exists(path)) return 0;
        try
        {
            using var db = Open(path);
            return Scalar(db, "SELECT coalesce(max(epoch), 0) FROM checkpoints");
        }
        catch (SqliteException)
        {
            return 0; // the schema is still being created
        }
    }

    private static async Task WaitUntil(Func<bool> condition, TimeSpan limit)
    {
        var until = DateTime.UtcNow + limit;
        while (!condition())
        {
            if (DateTime.UtcNow > until) throw new TimeoutException($"condition not met within {limit}");
            await Task.Delay(50);
        }
    }
}
