using Xunit.Abstractions;

namespace VaeSweep.Client.Tests.Cluster;

/// <summary>The cluster's Redis goes away and comes back mid-sweep (as on an upgrade of the Redis host).</summary>
[Collection(ClusterCollection.Name)]
public sealed class RedisRestartTests(ITestOutputHelper output)
{
    private const int Trials = 3;

    // Long enough that the outage, which starts at the first stored epoch, falls inside the sweep: the third
    // trial cannot start before one of the first two ends.
    private const int Epochs = 40;

    [Fact]
    public async Task A_sweep_over_two_silo_processes_finishes_across_a_redis_restart()
    {
        await using var kit = await ClusterKit.CreateAsync(output);
        var spec = kit.WriteSpec("restart", Epochs, latent: "[2, 3, 4]", trainImages: 20000);
        var db = kit.Database("cluster.db");
        var s1 = await kit.StartSiloAsync("s1");
        var s2 = await kit.StartSiloAsync("s2");
        var run = kit.StartRun("client", spec, db.Path);
        await kit.WaitUntilAsync("an epoch stored", () => db.Poll("SELECT count(*) FROM epochs") >= 1, db, run, s1, s2);

        await kit.Redis.StopAsync();
        var finishedBeforeOutage = db.Poll("SELECT count(*) FROM trials WHERE status = 'finished'");
        var epochsBeforeOutage = db.Poll("SELECT count(*) FROM epochs");
        await Task.Delay(TimeSpan.FromSeconds(3));
        var epochsInOutage = db.Poll("SELECT count(*) FROM epochs") - epochsBeforeOutage;
        await kit.Redis.StartAsync();

        var code = await run.WaitForExitAsync(ClusterKit.Patience);

        var context = $"{db.Describe()}\n{kit.Outputs()}";
        Assert.True(finishedBeforeOutage < Trials, $"the sweep ended before Redis stopped, so nothing was tested\n{context}");
        Assert.True(code == ExitCodes.Ok, context);
        // Training and delivery never needed Redis: epochs kept arriving while it was away.
        Assert.True(epochsInOutage > 0, context);
        Assert.Equal(Trials, db.Scalar("SELECT count(*) FROM trials WHERE status = 'finished'"));
        Assert.Equal(Trials * Epochs, db.Scalar("SELECT count(*) FROM epochs"));
        Assert.Equal(2L * Trials, db.Scalar("SELECT count(*) FROM evaluations"));
        ClusterAssert.EpochsContinueAcrossAttempts(db, Epochs, context);
        Assert.Equal(0L, db.Scalar("SELECT count(*) FROM attempt_failures"));
        Assert.Equal(1L, db.Scalar("SELECT max(attempts) FROM trials"));
        Assert.False(s1.HasExited || s2.HasExited, $"a silo died with Redis away\n{context}");
    }
}
