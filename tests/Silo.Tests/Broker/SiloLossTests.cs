using VaeSweep.Grains.Contracts;
using Xunit.Abstractions;

namespace VaeSweep.Silo.Tests.Broker;

[Collection(BrokerCollection.Name)]
public sealed class SiloLossTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_silo_that_dies_mid_trial_has_its_attempt_released_after_the_lease()
    {
        await using var kit = new BrokerTestKit(output);
        var script = new GrainScript().HoldUntilCancelled();
        var runner = await kit.RunnerAsync("crash");
        var silo = await kit.SiloAsync("doomed", 1, script.Grain);
        var acknowledged = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        silo.WorkAcknowledged += id => acknowledged.TrySetResult(id);
        await runner.SubmitAsync(BrokerTestKit.Work("crash", "t1"), kit.Token);
        await EventLog.CollectAsync(runner, EventLog.Has<TrialStarted>("t1"), kit.Token);
        Assert.Equal("t1/1", await acknowledged.Task.WaitAsync(kit.Token));

        await silo.CrashAsync();
        var events = await EventLog.CollectAsync(runner, EventLog.Has<TrialReleased>("t1"), kit.Token);

        var released = events.OfType<TrialReleased>().Single();
        Assert.StartsWith("silo doomed lost: no heartbeat for ", released.Reason);
        // The work was acknowledged when the trial started: the lease, not a redelivery, brings it back.
        Assert.Equal(0u, await kit.CountAsync(kit.Topology.WorkQueue));
        Assert.DoesNotContain(runner.Silos, s => s.Name == "doomed");
    }

    [Fact]
    public async Task A_silo_stopping_cleanly_releases_its_running_trials()
    {
        await using var kit = new BrokerTestKit(output);
        var script = new GrainScript().HoldUntilCancelled();
        var runner = await kit.RunnerAsync("shutdown");
        var silo = await kit.SiloAsync("leaving", 2, script.Grain);
        await runner.SubmitAsync(BrokerTestKit.Work("shutdown", "t1"), kit.Token);
        await runner.SubmitAsync(BrokerTestKit.Work("shutdown", "t2"), kit.Token);
        await script.NextStartAsync(kit.Token);
        await script.NextStartAsync(kit.Token);

        await silo.StopAsync();
        var events = await EventLog.CollectAsync(runner,
            e => EventLog.Has<TrialReleased>("t1")(e) && EventLog.Has<TrialReleased>("t2")(e), kit.Token);

        Assert.All(events.OfType<TrialReleased>(), r => Assert.Equal("silo shutting down", r.Reason));
        Assert.Empty(silo.Running);
    }

    [Fact]
    public async Task A_watched_attempt_that_no_silo_runs_is_released_after_the_lease()
    {
        await using var kit = new BrokerTestKit(output);
        var runner = await kit.RunnerAsync("watch");
        await runner.WatchAsync("t1", 4, kit.Token);

        var events = await EventLog.CollectAsync(runner, EventLog.Has<TrialReleased>("t1", 4), kit.Token);

        Assert.StartsWith("no silo reported running it for ", events.OfType<TrialReleased>().Single().Reason);
    }

    [Fact]
    public async Task A_watched_attempt_that_a_silo_still_runs_is_kept()
    {
        await using var kit = new BrokerTestKit(output);
        var script = new GrainScript().HoldUntilCancelled();
        var first = await kit.RunnerAsync("rewatch");
        await kit.SiloAsync("steady", 1, script.Grain);
        await first.SubmitAsync(BrokerTestKit.Work("rewatch", "t1"), kit.Token);
        await EventLog.CollectAsync(first, EventLog.Has<TrialStarted>("t1"), kit.Token);
        await first.DisposeAsync();

        // The next client watches the attempt its store says is running, and cancels it once the
        // lease has had time to run out twice: what arrives is the silo's release, not a lease expiry.
        var second = await kit.RunnerAsync("rewatch");
        await second.WatchAsync("t1", 1, kit.Token);
        await Task.Delay(2 * kit.Options.Lease, kit.Token);
        await second.CancelAsync("t1", 1, kit.Token);
        var events = await EventLog.CollectAsync(second, EventLog.Has<TrialReleased>("t1"), kit.Token);

        Assert.Equal("cancelled", events.OfType<TrialReleased>().Single().Reason);
    }
}
