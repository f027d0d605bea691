using Dapper;
using VaeSweep.Client.Tests.Fixtures;
using VaeSweep.Client.Tests.Store;
using static VaeSweep.Client.Tests.Commands.RunCommandTests;

namespace VaeSweep.Client.Tests.Commands;

/// <summary>
/// <c>status</c> says what is happening, not what the last client wrote before it stopped: a trial handed out but
/// not started is waiting, one whose client or silo stopped is interrupted, a finished sweep stays finished, and a
/// silo not heard from is gone.
/// </summary>
public sealed class StatusTruthTests
{
    /// <summary>The real clock moved on: what `status` would say that long after the moment it is called.</summary>
    private sealed class LaterClock(TimeSpan ahead) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + ahead;
    }

    private static async Task<CliRun> StatusAsync(string dir, TimeProvider time, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await Cli.InvokeAsync(["status", .. args], output, error, time, _ => null);
        return new CliRun(code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task During_a_run_one_trial_runs_and_one_waits_and_after_ctrl_c_both_are_interrupted()
    {
        using var dir = new TempDirectory();
        var spec = TinySweep.Write(dir, epochs: 300, trainImages: 3000);
        var db = dir.File("r.db");
        using var interrupt = new CancellationTokenSource();
        var run = CliRun.InvokeAsync(dir.Path, interrupt.Token, "run", spec, "--db", db, "--slots", "1");
        // One epoch stored, and the client's first heartbeat for the silo recorded.
        await WaitUntil(() => File.Exists(db) && EpochCount(db) >= 1 && SiloRows(db) >= 1, TimeSpan.FromMinutes(2));

        var during = await StatusAsync(dir.Path, TimeProvider.System, "--db", db);
        Assert.True(during.ExitCode == 0, during.ToString());
        Assert.Contains("sweep tiny: running, 2 trials: 1 waiting, 1 running", during.Out);
        Assert.Matches(@"running +epoch \d+/300 on \S+, attempt 1", during.Out);

        await interrupt.CancelAsync();
        Assert.Equal(ExitCodes.Interrupted, (await run).ExitCode);

        // At once, not only once the silo's heartbeat is stale: the embedded silo stopped with the run.
        var rightAfter = await StatusAsync(dir.Path, TimeProvider.System, "--db", db);
        Assert.Contains("sweep tiny: interrupted, 2 trials: 2 interrupted", rightAfter.Out);

        var after = await StatusAsync(dir.Path, new LaterClock(TimeSpan.FromMinutes(1)), "--db", db);
        Assert.True(after.ExitCode == 0, after.ToString());
        Assert.Contains("sweep tiny: interrupted, 2 trials: 2 interrupted", after.Out);
        Assert.DoesNotMatch(@"\d running|  running ", after.Out);
        Assert.DoesNotContain("on ,", after.Out);
        Assert.Matches(@"gone, host \S+, last seen \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ \(\d+ s ago\)", after.Out);

        var json = await StatusAsync(dir.Path, new LaterClock(TimeSpan.FromMinutes(1)), "--db", db, "--format", "json");
        using var document = System.Text.Json.JsonDocument.Parse(json.Out);
        var sweep = document.RootElement.GetProperty("sweeps")[0];
        Assert.Equal("interrupted", sweep.GetProperty("state").GetString());
        Assert.Equal(2, sweep.GetProperty("counts").GetProperty("interrupted").GetInt32());
        Assert.False(document.RootElement.GetProperty("silos")[0].GetProperty("up").GetBoolean());
    }

    [Fact]
    public async Task A_finished_run_s_embedded_silo_is_gone_as_soon_as_the_run_ends()
    {
        using var dir = new TempDirectory();
        var spec = TinySweep.Write(dir);
        var db = dir.File("r.db");
        Assert.Equal(0, (await CliRun.InvokeAsync(dir.Path, "run", spec, "--db", db)).ExitCode);

        // Asked a second after the run last heard from its silo: inside the 10 s a heartbeat stays fresh, however long
        // the run took to exit. The silo stopped with the run, so it is gone all the same.
        string lastHeartbeat;
        using (var raw = Open(db)) lastHeartbeat = raw.ExecuteScalar<string>("SELECT last_heartbeat FROM silos")!;
        var justAfter = ManualClock.At(lastHeartbeat);
        justAfter.Advance(TimeSpan.FromSeconds(1));

        var json = await StatusAsync(dir.Path, justAfter, "--db", db, "--format", "json");
        Assert.True(json.ExitCode == 0, json.ToString());
        using var document = System.Text.Json.JsonDocument.Parse(json.Out);
        var silo = Assert.Single(document.RootElement.GetProperty("silos").EnumerateArray());
        Assert.False(silo.GetProperty("up").GetBoolean(), json.Out);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, silo.GetProperty("running").ValueKind);
        var text = await StatusAsync(dir.Path, justAfter, "--db", db);
        Assert.Contains("sweep tiny: finished, 2 trials: 2 finished", text.Out);
        Assert.Matches(@"gone, host \S+, last seen", text.Out);
    }

    [Fact]
    public async Task Cancelling_a_finished_sweep_leaves_it_finished()
    {
        using var dir = new TempDirectory();
        var spec = TinySweep.Write(dir);
        var db = dir.File("r.db");
        Assert.Equal(0, (await CliRun.InvokeAsync(dir.Path, "run", spec, "--db", db)).ExitCode);

        var cancel = await CliRun.InvokeAsync(dir.Path, "cancel", "tiny", "--db", db);

        Assert.True(cancel.ExitCode == 0, cancel.ToString());
        Assert.Contains("nothing to cancel", cancel.Out);
        var status = await StatusAsync(dir.Path, TimeProvider.System, "tiny", "--db", db);
        Assert.Contains("sweep tiny: finished, 2 trials: 2 finished", status.Out);
        using var raw = Open(db);
        Assert.Equal(1L, Scalar(raw, "SELECT count(*) FROM sweeps WHERE status = 'finished'"));
        Assert.Equal(2L, Scalar(raw, "SELECT count(*) FROM trials WHERE status = 'finished'"));
    }

    private static long SiloRows(string db)
    {
        try
        {
            using var raw = Open(db);
            return Scalar(raw, "SELECT count(*) FROM silos");
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            return 0; // not created yet
        }
    }
}
