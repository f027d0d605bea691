using Xunit.Abstractions;

namespace VaeSweep.Client.Tests.Cluster;

/// <summary>The cluster's Redis comes back without its data, or every silo dies (issue 18.2).</summary>
[Collection(ClusterCollection.Name)]
public sealed class RedisEmptyTests(ITestOutputHelper output)
{
    private const int Epochs = 40;

    [Fact]
    public async Task Silos_join_again_after_redis_restarts_empty_and_the_sweep_finishes()
    {
        await using var kit = await ClusterKit.CreateAsync(output);
        var spec = kit.WriteSpec("empty", Epochs, latent: "[2, 3, 4, 5]", trainImages: 20000);
        var db = kit.Database("cluster.db");
        var s1 = await kit.StartSiloAsync("s1");
        var s2 = await kit.StartSiloAsync("s2");
        var run = kit.StartRun("client", spec, db.Path);
        await kit.WaitUntilAsync("an epoch stored", () => db.Poll("SELECT count(*) FROM epochs") >= 1, db, run, s1, s2);

        await kit.Redis.RestartEmptyAsync();
        var finishedAtRestart = db.Poll("SELECT count(*) FROM trials WHERE status = 'finished'");
        await s1.WaitForOutputAsync("joining again", ClusterKit.Patience);
        await s2.WaitForOutputAsync("joining again", ClusterKit.Patience);
        var code = await run.WaitForExitAsync(ClusterKit.Patience);

        var context = $"{db.Describe()}\n{kit.Outputs()}";
        Assert.True(finishedAtRestart < 4, $"the sweep ended before Redis restarted, so nothing was tested\n{context}");
        Assert.True(code == ExitCodes.Ok, context);
        Assert.Equal(4L, db.Scalar("SELECT count(*) FROM trials WHERE status = 'finished'"));
        Assert.Equal(4L * Epochs, db.Scalar("SELECT count(*) FROM epochs"));
        ClusterAssert.EpochsContinueAcrossAttempts(db, Epochs, context);
        Assert.False(s1.HasExited || s2.HasExited, context);
        // Both silos are in the membership again: a status that asks the cluster sees them.
        var status = kit.Start("status", "status", "--db", db.Path, "--cluster", kit.Cluster);
        Assert.True(await status.WaitForExitAsync(ClusterKit.Patience) == ExitCodes.Ok, kit.Outputs());
        var live = status.Printed[Math.Max(0, status.Printed.IndexOf("silos in", StringComparison.Ordinal))..];
        Assert.True(live.Contains("s1 ", StringComparison.Ordinal) && live.Contains("s2 ", StringComparison.Ordinal), kit.Outputs());
    }

    [Fact]
    public async Task A_run_whose_silos_all_died_says_so_within_its_silo_wait_and_keeps_what_it_stored()
    {
        await using var kit = await ClusterKit.CreateAsync(output);
        var spec = kit.WriteSpec("orphaned", Epochs, latent: "[2, 3]", trainImages: 20000);
        var db = kit.Database("cluster.db");
        var s1 = await kit.StartSiloAsync("s1");
        var run = kit.StartRun("client", spec, db.Path, "--silo-wait", "10");
        await kit.WaitUntilAsync("two epochs stored", () => db.Poll("SELECT count(*) FROM epochs") >= 2, db, run, s1);

        s1.Kill();
        var epochsAtKill = db.Rows("SELECT trial_id, epoch, attempt, valid_elbo FROM epochs ORDER BY trial_id, epoch");
        // The bound is --silo-wait after the last silo answered; the patience only keeps a hang from stalling the run.
        var code = await run.WaitForExitAsync(ClusterKit.Patience);

        var context = $"{db.Describe()}\n{kit.Outputs()}";
        Assert.True(code == ExitCodes.ClusterLost, context);
        Assert.Contains("no silo of the cluster has answered for", run.Printed);
        Assert.DoesNotContain("   at ", run.Printed);
        Assert.Empty(epochsAtKill.Except(db.Rows("SELECT trial_id, epoch, attempt, valid_elbo FROM epochs ORDER BY trial_id, epoch")));
        Assert.Equal("running", db.Text("SELECT status FROM sweeps"));
        Assert.Equal(0L, db.Scalar("SELECT count(*) FROM sweep_leases"));
    }
}
