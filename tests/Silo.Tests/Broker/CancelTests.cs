using VaeSweep.Grains.Contracts;
using VaeSweep.Silo.Broker;
using Xunit.Abstractions;

namespace VaeSweep.Silo.Tests.Broker;

[Collection(BrokerCollection.Name)]
public sealed class CancelTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Cancelling_an_attempt_stops_it_on_its_silo_and_leaves_the_others()
    {
        await using var kit = new BrokerTestKit(output);
        var script = new GrainScript().HoldUntilCancelled();
        var runner = await kit.RunnerAsync("cancel");
        var silo = await kit.SiloAsync("worker", 2, script.Grain);
        await runner.SubmitAsync(BrokerTestKit.Work("cancel", "t1"), kit.Token);
        await runner.SubmitAsync(BrokerTestKit.Work("cancel", "t2"), kit.Token);
        await EventLog.CollectAsync(runner, e => e.OfType<TrialStarted>().Count() == 2, kit.Token);

        await runner.CancelAsync("t1", 1, kit.Token);
        var events = await EventLog.CollectAsync(runner, EventLog.Has<TrialReleased>("t1"), kit.Token);

        Assert.Equal("cancelled", events.OfType<TrialReleased>().Single().Reason);
        // t2 ran on: it is still there to be released when its silo stops.
        await silo.StopAsync();
        events = await EventLog.CollectAsync(runner, EventLog.Has<TrialReleased>("t2"), kit.Token, events);
        Assert.Equal("silo shutting down", events.OfType<TrialReleased>().Single(r => r.TrialId == "t2").Reason);
    }

    [Fact]
    public async Task Work_cancelled_while_queued_is_stopped_when_a_silo_takes_it()
    {
        await using var kit = new BrokerTestKit(output);
        var script = new GrainScript().HoldUntilCancelled();
        var runner = await kit.RunnerAsync("queued");
        await runner.SubmitAsync(BrokerTestKit.Work("queued", "t1"), kit.Token);
        await runner.CancelAsync("t1", 1, kit.Token);

        // This silo never heard the broadcast; the client stops the attempt when it sees it start.
        await kit.SiloAsync("late", 1, script.Grain);
        var events = await EventLog.CollectAsync(runner, EventLog.Has<TrialReleased>("t1"), kit.Token);

        Assert.Equal("cancelled", events.OfType<TrialReleased>().Single().Reason);
    }

    [Fact]
    public async Task An_attempt_the_client_moved_past_is_stopped()
    {
        await using var kit = new BrokerTestKit(output);
        var script = new GrainScript().HoldUntilCancelled();
        var runner = await kit.RunnerAsync("stale");
        await kit.SiloAsync("worker", 2, script.Grain);
        await runner.SubmitAsync(BrokerTestKit.Work("stale", "t1", attempt: 1), kit.Token);
        await EventLog.CollectAsync(runner, EventLog.Has<TrialStarted>("t1", 1), kit.Token);

        await runner.SubmitAsync(BrokerTestKit.Work("stale", "t1", attempt: 2), kit.Token);
        var events = await EventLog.CollectAsync(runner, EventLog.Has<TrialReleased>("t1", 1), kit.Token);

        Assert.Equal("cancelled", events.OfType<TrialReleased>().Single(r => r.Attempt == 1).Reason);
    }

    [Fact]
    public async Task Cancelling_a_sweep_stops_its_running_and_queued_trials_and_tells_its_client()
    {
        await using var kit = new BrokerTestKit(output);
        var script = new GrainScript().HoldUntilCancelled();
        var runner = await kit.RunnerAsync("doomed-sweep");
        await kit.SiloAsync("worker", 1, script.Grain);
        await runner.SubmitAsync(BrokerTestKit.Work("doomed-sweep", "t1"), kit.Token);
        await runner.SubmitAsync(BrokerTestKit.Work("doomed-sweep", "t2"), kit.Token);
        await EventLog.CollectAsync(runner, EventLog.Has<TrialStarted>("t1"), kit.Token);

        await BrokerControl.CancelSweepAsync(kit.Options, "doomed-sweep", kit.Logger, kit.Token);
        var events = await EventLog.CollectAsync(runner,
            e => EventLog.Has<TrialReleased>("t1")(e) && EventLog.Has<TrialReleased>("t2")(e), kit.Token);

        Assert.True(runner.SweepCancelled.IsCancellationRequested);
        Assert.All(events.OfType<TrialReleased>(), r => Assert.Equal("sweep cancelled", r.Reason));
        Assert.DoesNotContain(events, e => e is TrialStarted { TrialId: "t2" });
    }
}
