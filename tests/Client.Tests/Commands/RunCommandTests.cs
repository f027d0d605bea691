using Microsoft.Data.Sqlite;
using VaeSweep.Client.Tests.Fixtures;

namespace VaeSweep.Client.Tests.Commands;

public sealed class RunCommandTests
{
    [Fact]
    public async Task A_sweep_runs_to_the_end_and_top_ranks_every_trial()
    {
        using var dir = new TempDirectory();
        var spec = TinySweep.Write(dir);

        var run = await CliRun.InvokeAsync(dir.Path, "run", spec, "--db", dir.File("r.db"), "--slots", "2");
        Assert.True(run.ExitCode == 0, run.ToString());

        var top = await CliRun.InvokeAsync(dir.Path, "top", "--db", dir.File("r.db"), "--format", "csv");
        Assert.Equal(0, top.ExitCode);
        var lines = top.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length); // header + two trials
        Assert.Contains("heldout_ll", lines[0]);

        using var db = Open(dir.File("r.db"));
        Assert.Equal(2L, Scalar(db, "SELECT count(*) FROM trials WHERE status = 'finished'"));
        Assert.Equal(6L, Scalar(db, "SELECT count(*) FROM epochs"));
        Assert.Equal(4L, Scalar(db, "SELECT count(*) FROM evaluations"));
        // The estimate is a bound-respecting number, not a placeholder.
        Assert.Equal(0L, Scalar(db, "SELECT count(*) FROM evaluations WHERE NOT (mean > mean_elbo - 1e-9)"));
    }

    [Fact]
    public async Task Running_the_same_spec_again_repeats_nothing()
    {
        using var dir = new TempDirectory();
        var spec = TinySweep.Write(dir);
        var dbPath = dir.File("r.db");
        Assert.Equal(0, (await CliRun.InvokeAsync(dir.Path, "run", spec, "--db", dbPath)).ExitCode);
        using (var db = Open(dbPath))
            Assert.Equal(2L, Scalar(db, "SELECT sum(attempts) FROM trials"));
        var before = Snapshot(dbPath);

        var again = await CliRun.InvokeAsync(dir.Path, "run", spec, "--db", dbPath);

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("2 already ended", again.Out);
        Assert.Equal(before, Snapshot(dbPath));
    }

    [Fact]
    public async Task An_interrupted_sweep_resumes_from_its_checkpoints_without_repeating_epochs()
    {
        using var dir = new TempDirectory();
        var spec = TinySweep.Write(dir, epochs: 1000, latent: "[2]", trainImages: 3000);
        var dbPath = dir.File("r.db");

        using var cts = new CancellationTokenSource();
        var first = CliRun.InvokeAsync(dir.Path, cts.Token, "run", spec, "--db", dbPath, "--slots", "1");
        // A checkpoint, not an epoch count: the silo keeps only its newest undelivered checkpoint, so stored
        // epochs can run ahead of the stored checkpoint, and those past it are trained again on resume.
        await WaitUntil(() => File.Exists(dbPath) && CheckpointEpoch(dbPath) >= 2, TimeSpan.FromMinutes(2));
        await cts.CancelAsync();
        var interrupted = await first;
        Assert.True(interrupted.ExitCode == ExitCodes.Interrupted, interrupted.ToString());
        var checkpointed = CheckpointEpoch(dbPath);

        var second = await CliRun.InvokeAsync(dir.Path, "run", spec, "--db", dbPath);

        Assert.True(second.ExitCode == 0, second.ToString());
        using var db = Open(dbPath);
        Assert.Equal(1000L, Scalar(db, "SELECT count(*) FROM epochs"));
        Assert.Equal(2L, Scalar(db, "SELECT attempts FROM trials"));
        // Epochs stored by the first attempt keep its attempt number: the second began after them.
        Assert.True(Scalar(db, "SELECT count(*) FROM epochs WHERE attempt = 1") >= checkpointed);
        Assert.Equal(0L, Scalar(db, "SELECT count(*) FROM epochs e WHERE attempt = 2 AND epoch <= (SELECT max(epoch) FROM epochs WHERE attempt = 1)"));
    }

    [Fact]
    public async Task Cancel_from_another_command_stops_the_sweep_and_a_later_run_finishes_it()
    {
        using var dir = new TempDirectory();
        var spec = TinySweep.Write(dir, epochs: 300, latent: "[2]", trainImages: 3000);
        var dbPath = dir.File("r.db");

        var first = CliRun.InvokeAsync(dir.Path, "run", spec, "--db", dbPath, "--slots", "1");
        await WaitUntil(() => File.Exists(dbPath) && EpochCount(dbPath) >= 2, TimeSpan.FromMinutes(2));
        var cancel = await CliRun.InvokeAsync(dir.Path, "cancel", "--sweep", "tiny", "--db", dbPath);
        var stopped = await first;

        Assert.True(cancel.ExitCode == 0, cancel.ToString());
        Assert.True(stopped.ExitCode == ExitCodes.Interrupted, stopped.ToString());
        Assert.Contains("cancelled", stopped.Err);
        using (var db = Open(dbPath))
        {
            Assert.Equal(1L, Scalar(db, "SELECT count(*) FROM trials WHERE status = 'cancelled'"));
            Assert.True(Scalar(db, "SELECT count(*) FROM epochs") < 300);
        }

        var resumed = await CliRun.InvokeAsync(dir.Path, "run", spec, "--db", dbPath);
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        using var after = Open(dbPath);
        Assert.Equal(300L, Scalar(after, "SELECT count(*) FROM epochs"));
        Assert.Equal(1L, Scalar(after, "SELECT count(*) FROM trials WHERE status = 'finished'"));
    }

    [Fact]
    public async Task A_diverging_trial_is_stored_as_diverged_and_the_sweep_exits_non_zero()
    {
        using var dir = new TempDirectory();
        var spec = TinySweep.Write(dir, latent: "[2]", lr: "[0.003, 1.0e+30]");

        var run = await CliRun.InvokeAsync(dir.Path, "run", spec, "--db", dir.File("r.db"));

        Assert.True(run.ExitCode == ExitCodes.TrialsFailed, run.ToString());
        using var db = Open(dir.File("r.db"));
        Assert.Equal(1L, Scalar(db, "SELECT count(*) FROM trials WHERE status = 'diverged' AND diverged_epoch >= 1 AND error IS NOT NULL"));
        Assert.Equal(1L, Scalar(db, "SELECT count(*) FROM trials WHERE status = 'finished'"));
    }

    [Fact]
    public async Task A_trial_that_keeps_failing_is_marked_failed_after_its_attempts_and_the_rest_finish()
    {
        using var dir = new TempDirectory();
        // 240 training images cannot give 500 validation examples: the split throws in the grain, every time.
        var data = IdxFiles.Write(dir.File("data"));
        var good = TinySweep.Spec(data, name: "good", latent: "[2]");
        File.WriteAllText(dir.File("good.yaml"), good);
        File.WriteAllText(dir.File("poison.yaml"), TinySweep.Spec(data, name: "poison", latent: "[2]", validation: 500));

        var poison = await CliRun.InvokeAsync(dir.Path, "run", dir.File("poison.yaml"), "--db", dir.File("r.db"), "--max-failures", "2");
        var fine = await CliRun.InvokeAsync(dir.Path, "run", dir.File("good.yaml"), "--db", dir.File("r.db"));

        Assert.True(poison.ExitCode == ExitCodes.TrialsFailed, poison.ToString());
        Assert.Equal(0, fine.ExitCode);
        using var db = Open(dir.File("r.db"));
        Assert.Equal("failed", Text(db, "SELECT t.status FROM trials t JOIN sweeps s ON s.sweep_id = t.sweep_id WHERE s.name = 'poison'"));
        Assert.Equal(2L, Scalar(db, "SELECT t.attempts FROM trials t JOIN sweeps s ON s.sweep_id = t.sweep_id WHERE s.name = 'poison'"));
        Assert.Contains("validation", Text(db, "SELECT t.error FROM trials t JOIN sweeps s ON s.sweep_id = t.sweep_id WHERE s.name = 'poison'"));
    }

    internal static SqliteConnection Open(string path)
    {
        var c = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        c.Open();
        return c;
    }

    internal static long Scalar(SqliteConnection db, string sql)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar());
    }

    internal static string Text(SqliteConnection db, string sql)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToString(cmd.ExecuteScalar()) ?? "";
    }

    internal static long EpochCount(string path)
    {
        try
        {
            using var db = Open(path);
            return Scalar(db, "SELECT count(*) FROM epochs");
        }
        catch (SqliteException)
        {
            return 0; // the schema is still being created
        }
    }

    private static long CheckpointEpoch(string path)
    {
        try
        {
            using var db = Open(path);
            return Scalar(db, "SELECT coalesce(max(epoch), 0) FROM checkpoints");
        }
        catch (SqliteException)
        {
            return 0;
        }
    }

    /// <summary>Every stored row that a repeated run must leave alone.</summary>
    private static string Snapshot(string path)
    {
        using var db = Open(path);
        var parts = new List<string>();
        foreach (var sql in new[]
                 {
                     "SELECT trial_id, status, attempts, started_at, finished_at, seconds FROM trials ORDER BY trial_id",
                     "SELECT trial_id, epoch, attempt, train_objective, valid_elbo FROM epochs ORDER BY trial_id, epoch",
                     "SELECT trial_id, split, mean, se FROM evaluations ORDER BY trial_id, split",
                 })
        {
            using var cmd = db.CreateCommand();
            cmd.CommandText = sql;
            using var r = cmd.ExecuteReader();
            while (r.Read())
                parts.Add(string.Join('|', Enumerable.Range(0, r.FieldCount).Select(i => Convert.ToString(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        }

        return string.Join('\n', parts);
    }

    internal static async Task WaitUntil(Func<bool> condition, TimeSpan limit)
    {
        var until = DateTime.UtcNow + limit;
        while (!condition())
        {
            if (DateTime.UtcNow > until) throw new TimeoutException($"condition not met within {limit}");
            await Task.Delay(50);
        }
    }
}
