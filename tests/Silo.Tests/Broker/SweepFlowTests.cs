using VaeSweep.Grains.Contracts;
using VaeSweep.Silo.Broker;
using Xunit.Abstractions;

namespace VaeSweep.Silo.Tests.Broker;

[Collection(BrokerCollection.Name)]
public sealed class SweepFlowTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Two_silos_run_a_sweep_and_every_event_arrives_once_stored()
    {
        await using var kit = new BrokerTestKit(output);
        var script = new GrainScript();
        // The first four starts wait for each other: with two slots per silo, both silos must be running then.
        var running = 0;
        var fourRunning = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        script.BeforeEpoch = async (work, epoch, ct) =>
        {
            if (epoch != 1) return;
            var n = Interlocked.Increment(ref running);
            if (n == 4) fourRunning.SetResult();
            if (n <= 4) await fourRunning.Task.WaitAsync(ct);
        };

        var runner = await kit.RunnerAsync("flow");
        await kit.SiloAsync("silo-a", 2, script.Grain);
        await kit.SiloAsync("silo-b", 2, script.Grain);
        var trials = Enumerable.Range(1, 6).Select(i => $"t{i}").ToList();
        foreach (var trial in trials)
            await runner.SubmitAsync(BrokerTestKit.Work("flow", trial), kit.Token);

        var events = await EventLog.CollectAsync(runner, EventLog.AllFinished(trials), kit.Token);

        foreach (var trial in trials)
            Assert.Equal(EventLog.ExpectedRun(trial), events.Where(e => e.TrialId == trial).Select(EventLog.Describe));
        var hosts = events.OfType<TrialStarted>().Select(s => s.Host).ToHashSet();
        Assert.Equal(["silo-a", "silo-b"], hosts.Order());
        Assert.Contains(runner.Silos, s => s.Name == "silo-a" && s.Slots == 2);
        Assert.Contains(runner.Silos, s => s.Name == "silo-b");

        // Every event was acknowledged: nothing is left for a later client, and no work is left over.
        await runner.DisposeAsync();
        Assert.Equal(0u, await kit.CountAsync(kit.Topology.EventsQueue("flow")));
        Assert.Equal(0u, await kit.CountAsync(kit.Topology.WorkQueue));
    }

    [Fact]
    public async Task A_new_client_receives_everything_the_one_before_did_not_store()
    {
        await using var kit = new BrokerTestKit(output);
        var proceed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var script = new GrainScript
        {
            BeforeEpoch = (_, epoch, ct) => epoch == 2 ? proceed.Task.WaitAsync(ct) : Task.CompletedTask,
        };
        await kit.SiloAsync("silo-a", 2, script.Grain);
        var first = await kit.RunnerAsync("handover");
        string[] trials = ["t1", "t2"];
        foreach (var trial in trials)
            await first.SubmitAsync(BrokerTestKit.Work("handover", trial), kit.Token);

        // The first client stores three events, receives a fourth it never stores, and dies.
        var stored = await EventLog.CollectAsync(first, events => events.Count == 3, kit.Token);
        TrialEvent? unstored = null;
        await foreach (var received in first.ReadEventsAsync(kit.Token))
        {
            unstored = received.Event;
            break;
        }

        await first.DisposeAsync();
        proceed.SetResult();

        var second = await kit.RunnerAsync("handover");
        var rest = await EventLog.CollectAsync(second, EventLog.AllFinished(trials), kit.Token);

        Assert.NotNull(unstored);
        Assert.Contains(EventLog.Describe(unstored), rest.Select(EventLog.Describe));
        foreach (var trial in trials)
        {
            var seen = stored.Concat(rest).Where(e => e.TrialId == trial).Select(EventLog.Describe).Distinct();
            Assert.Equal(EventLog.ExpectedRun(trial).Order(), seen.Order());
        }
    }
}
