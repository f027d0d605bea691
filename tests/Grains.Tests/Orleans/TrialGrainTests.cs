using VaeSweep.Contracts;
using VaeSweep.Model;

namespace VaeSweep.Grains.Tests.Orleans;

/// <summary>The trial grain on a real silo: calls return at once, events arrive in order, slots hold, nothing is lost.</summary>
public sealed class TrialGrainTests(GrainCluster cluster) : IClassFixture<GrainCluster>
{
    private static readonly TrialConfig Tiny = new()
    {
        Latent = 2, Hidden = [16], Sigma = 0.3, LearningRate = 3e-3, Epochs = 3, BatchSize = 32,
        ImportanceSamples = 20, EvalExamples = 20,
    };

    private TrialWork Work(string id, TrialConfig config, int attempt = 1) =>
        new("s", id, attempt, config, new DatasetRef("blobs", cluster.Data, 40, 0, 0), null);

    private (ITrialGrain Grain, ITrialObserver Reference) Prepare(string id, RecordingObserver observer) =>
        (cluster.Grains.GetGrain<ITrialGrain>(id), cluster.Grains.CreateObjectReference<ITrialObserver>(observer));

    [Fact]
    public async Task A_started_trial_reports_every_epoch_in_order_then_its_estimates_and_leaves_its_slot()
    {
        var observer = new RecordingObserver();
        var (grain, reference) = Prepare("grain-whole", observer);

        Assert.Equal(StartOutcome.Started, await grain.StartAsync(Work("grain-whole", Tiny), reference));
        var events = await observer.UntilAsync(RecordingObserver.Terminal);

        Assert.IsType<TrialStarted>(events[0]);
        Assert.Equal([1, 2, 3], events.OfType<EpochCompleted>().Select(e => e.Metrics.Epoch));
        AssertCheckpointsFollowTheirEpochs(events, lastEpoch: 3);
        Assert.Equal("test-silo", Assert.IsType<TrialStarted>(events[0]).Host);
        var finished = Assert.IsType<TrialFinished>(events[^1]);
        // The engine's records crossed the wire as JSON, exactly.
        Assert.Equal(20, finished.Validation.PerExample.Length);
        Assert.Equal(finished.Validation.Mean, finished.Validation.PerExample.Average(), 12);
        await AssertEventuallyAsync(async () => (await Report()).Resident.All(t => t.TrialId != "grain-whole"), "the finished trial leaves the silo");
    }

    [Fact]
    public async Task Start_returns_while_training_goes_on_and_a_silo_takes_no_more_than_its_slots()
    {
        var long1 = Tiny with { Epochs = 10_000 };
        var observers = Enumerable.Range(0, GrainCluster.Slots + 1).Select(_ => new RecordingObserver()).ToArray();
        var outcomes = new List<StartOutcome>();
        for (var i = 0; i < observers.Length; i++)
        {
            var (grain, reference) = Prepare($"grain-slot-{i}", observers[i]);
            outcomes.Add(await grain.StartAsync(Work($"grain-slot-{i}", long1), reference));
        }

        Assert.Equal([.. Enumerable.Repeat(StartOutcome.Started, GrainCluster.Slots), StartOutcome.SiloFull], outcomes);
        Assert.Equal(GrainCluster.Slots, (await Report()).Running.Count);

        for (var i = 0; i < GrainCluster.Slots; i++)
        {
            await cluster.Grains.GetGrain<ITrialGrain>($"grain-slot-{i}").CancelAsync(1);
            var released = Assert.IsType<TrialReleased>((await observers[i].UntilAsync(RecordingObserver.Terminal))[^1]);
            Assert.Equal("cancelled", released.Reason);
        }

        await AssertEventuallyAsync(async () => (await Report()).Running.Count == 0, "the slots are free again");
    }

    [Fact]
    public async Task Events_a_client_did_not_take_wait_in_the_grain_and_go_to_the_next_observer_in_order()
    {
        var gone = new RecordingObserver { FailAfter = 2 };
        var (grain, reference) = Prepare("grain-attach", gone);
        Assert.Equal(StartOutcome.Started, await grain.StartAsync(Work("grain-attach", Tiny with { Epochs = 6 }), reference));
        await AssertEventuallyAsync(() => Task.FromResult(gone.Taken == 2), "the first client took two events");

        var next = new RecordingObserver();
        Assert.Equal(1, await grain.AttachAsync(cluster.Grains.CreateObjectReference<ITrialObserver>(next)));
        var rest = await next.UntilAsync(RecordingObserver.Terminal);

        // Started and epoch 1 went to the first client; every epoch after, to the second, once each and in order.
        Assert.Equal([2, 3, 4, 5, 6], rest.OfType<EpochCompleted>().Select(e => e.Metrics.Epoch));
        AssertCheckpointsFollowTheirEpochs(rest, lastEpoch: 6);
        Assert.IsType<TrialFinished>(rest[^1]);
    }

    [Fact]
    public async Task A_grain_that_holds_no_attempt_says_so()
    {
        var observer = new RecordingObserver();
        var (grain, reference) = Prepare("grain-idle", observer);
        Assert.Null(await grain.AttachAsync(reference));
    }

    /// <summary>
    /// An undelivered checkpoint gives way to a newer one (the client keeps only the latest), so some may be
    /// missing; those that arrive come after their epoch, in order, and the last epoch's always arrives.
    /// </summary>
    private static void AssertCheckpointsFollowTheirEpochs(List<TrialEvent> events, int lastEpoch)
    {
        var checkpoints = events.Select((e, i) => (e, i)).Where(x => x.e is CheckpointSaved).ToList();
        Assert.NotEmpty(checkpoints);
        Assert.Equal(lastEpoch, ((CheckpointSaved)checkpoints[^1].e).Epoch);
        var previous = 0;
        foreach (var (e, at) in checkpoints)
        {
            var epoch = ((CheckpointSaved)e).Epoch;
            Assert.True(epoch > previous, $"checkpoint {epoch} after checkpoint {previous}");
            var epochAt = events.FindIndex(x => x is EpochCompleted ec && ec.Metrics.Epoch == epoch);
            Assert.True(epochAt < 0 || epochAt < at, $"checkpoint {epoch} before its epoch");
            previous = epoch;
        }
    }

    private async Task<SiloReport> Report()
    {
        var silo = cluster.Cluster.Primary!.SiloAddress.ToString();
        return await cluster.Grains.GetGrain<ISiloGrain>(silo).ReportAsync();
    }

    private static async Task AssertEventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < until, $"not within 60 s: {what}");
            await Task.Delay(50);
        }
    }
}
