using Xunit.Abstractions;

namespace VaeSweep.Client.Tests.Cluster;

/// <summary>
/// The broker goes away and comes back mid-sweep (as on a broker upgrade). Stops the broker for everyone on
/// this machine: it runs in the serial cluster collection and under <see cref="BrokerLock"/>.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class BrokerRestartTests(ITestOutputHelper output)
{
    private const int Trials = 3;

    // Long enough (several seconds a trial) that the outage, which starts at the first stored epoch and takes a
    // few seconds to begin, falls inside the sweep: the third trial cannot start before one of the first two ends.
    private const int Epochs = 60;

    [Fact]
    [Trait("Category", "BrokerRestart")]
    public async Task A_sweep_over_two_silo_processes_finishes_across_a_broker_restart()
    {
        await using var kit = await ClusterKit.CreateAsync(output);
        var spec = kit.WriteSpec("restart", Epochs, latent: "[2, 3, 4]", trainImages: 20000);
        var db = kit.Database("cluster.db");
        var s1 = await kit.StartSiloAsync("s1");
        var s2 = await kit.StartSiloAsync("s2");
        var run = kit.StartRun("client", spec, db.Path);
        await kit.WaitUntilAsync("an epoch stored", () => db.Poll("SELECT count(*) FROM epochs") >= 1, db, run, s1, s2);

        long finishedBeforeOutage;
        try
        {
            await Rabbitmqctl.RunAsync(output, "stop_app");
            finishedBeforeOutage = db.Poll("SELECT count(*) FROM trials WHERE status = 'finished'");
            await Task.Delay(TimeSpan.FromSeconds(3));
        }
        finally
        {
            await Rabbitmqctl.RunAsync(output, "start_app");
            await Rabbitmqctl.RunAsync(output, "await_startup");
        }

        var code = await run.WaitForExitAsync(ClusterKit.Patience);

        var context = $"{db.Describe()}\n{kit.Outputs()}";
        Assert.True(finishedBeforeOutage < Trials, $"the sweep ended before the broker stopped, so nothing was tested\n{context}");
        Assert.True(code == ExitCodes.Ok, context);
        Assert.Equal(Trials, db.Scalar("SELECT count(*) FROM trials WHERE status = 'finished'"));
        Assert.Equal(Trials * Epochs, db.Scalar("SELECT count(*) FROM epochs"));
        Assert.Equal(2L * Trials, db.Scalar("SELECT count(*) FROM evaluations"));
        ClusterAssert.EpochsContinueAcrossAttempts(db, Epochs, context);
        Assert.Equal(0L, db.Scalar("SELECT count(*) FROM attempt_failures"));
        // An outage longer than the lease may cost a running attempt a re-issue (from its checkpoint), never more.
        Assert.True(db.Scalar("SELECT max(attempts) FROM trials") <= 2, context);
        // Both silos rode it out: they reconnect by themselves (retrying every 2 s, so perhaps after the client is
        // done) rather than dying.
        await s1.WaitForOutputAsync("Reconnected to the broker", ClusterKit.Patience);
        await s2.WaitForOutputAsync("Reconnected to the broker", ClusterKit.Patience);
    }
}
