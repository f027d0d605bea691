using VaeSweep.Grains.Contracts;
using VaeSweep.Model;

namespace VaeSweep.Silo.Tests.Embedded;

public sealed class EmbeddedSiloTests
{
    private static TrialWork Work(string id, int attempt = 1) =>
        new("s", id, attempt, new TrialConfig(), new DatasetRef("none", "/nowhere", 1, 0, 0), null);

    /// <summary>A grain that reports start, then waits until released or cancelled, counting how many run at once.</summary>
    private sealed class GatedGrain(GatedGrain.Shared shared) : ITrialGrain
    {
        public sealed class Shared
        {
            public int Running;
            public int MaxRunning;
            public readonly SemaphoreSlim Gate = new(0);
        }

        public async Task RunAsync(TrialWork work, ITrialEventSink events, CancellationToken cancellationToken)
        {
            var now = Interlocked.Increment(ref shared.Running);
            InterlockedMax(ref shared.MaxRunning, now);
            try
            {
                await events.PublishAsync(new TrialStarted(work.TrialId, work.Attempt, "h", 0), cancellationToken);
                await shared.Gate.WaitAsync(cancellationToken);
                await events.PublishAsync(new TrialFailed(work.TrialId, work.Attempt, "done"), cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref shared.Running);
            }
        }

        private static void InterlockedMax(ref int target, int value)
        {
            int seen;
            while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
        }
    }

    private static async Task<TrialEvent> NextAsync(IAsyncEnumerator<ReceivedEvent> events)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Assert.True(await events.MoveNextAsync().AsTask().WaitAsync(timeout.Token));
        return events.Current.Event;
    }

    [Fact]
    public async Task Trials_run_at_most_slots_at_a_time_and_all_report()
    {
        var shared = new GatedGrain.Shared();
        await using var silo = new EmbeddedSilo(new EmbeddedSiloOptions { Slots = 2 }, () => new GatedGrain(shared), TimeProvider.System);
        var events = silo.ReadEventsAsync(CancellationToken.None).GetAsyncEnumerator();
        for (var i = 0; i < 5; i++) await silo.SubmitAsync(Work($"t{i}"), CancellationToken.None);

        var seen = new List<TrialEvent>();
        for (var i = 0; i < 2; i++) seen.Add(await NextAsync(events));
        Assert.All(seen, e => Assert.IsType<TrialStarted>(e));
        Assert.Equal(2, Volatile.Read(ref shared.Running));

        shared.Gate.Release(5);
        while (seen.OfType<TrialFailed>().Count() < 5) seen.Add(await NextAsync(events));

        Assert.Equal(2, shared.MaxRunning);
        Assert.Equal(["t0", "t1", "t2", "t3", "t4"], seen.OfType<TrialStarted>().Select(e => e.TrialId).Order());
        Assert.Single(silo.Silos);
        Assert.Equal(2, silo.Silos[0].Slots);
    }

    [Fact]
    public async Task Cancelling_an_attempt_releases_it_whether_running_or_still_queued()
    {
        var shared = new GatedGrain.Shared();
        await using var silo = new EmbeddedSilo(new EmbeddedSiloOptions { Slots = 1 }, () => new GatedGrain(shared), TimeProvider.System);
        var events = silo.ReadEventsAsync(CancellationToken.None).GetAsyncEnumerator();
        await silo.SubmitAsync(Work("running"), CancellationToken.None);
        await silo.SubmitAsync(Work("queued"), CancellationToken.None);
        Assert.IsType<TrialStarted>(await NextAsync(events));
        Assert.Equal([new RunningTrial("running", 1)], silo.Silos[0].Running);

        await silo.CancelAsync("queued", 1, CancellationToken.None);
        await silo.CancelAsync("running", 1, CancellationToken.None);

        var first = Assert.IsType<TrialReleased>(await NextAsync(events));
        var second = Assert.IsType<TrialReleased>(await NextAsync(events));
        Assert.Equal(("running", "cancelled"), (first.TrialId, first.Reason));
        Assert.Equal(("queued", "cancelled before it started"), (second.TrialId, second.Reason));
    }

    [Fact]
    public async Task Cancelling_another_attempt_of_the_same_trial_leaves_the_running_one_alone()
    {
        var shared = new GatedGrain.Shared();
        await using var silo = new EmbeddedSilo(new EmbeddedSiloOptions { Slots = 1 }, () => new GatedGrain(shared), TimeProvider.System);
        var events = silo.ReadEventsAsync(CancellationToken.None).GetAsyncEnumerator();
        await silo.SubmitAsync(Work("t", attempt: 2), CancellationToken.None);
        Assert.IsType<TrialStarted>(await NextAsync(events));

        await silo.CancelAsync("t", 1, CancellationToken.None);
        shared.Gate.Release();

        Assert.Equal(new TrialFailed("t", 2, "done"), await NextAsync(events));
    }

    [Fact]
    public async Task Shutting_down_releases_running_trials_so_they_can_run_again()
    {
        var shared = new GatedGrain.Shared();
        var silo = new EmbeddedSilo(new EmbeddedSiloOptions { Slots = 1 }, () => new GatedGrain(shared), TimeProvider.System);
        var events = silo.ReadEventsAsync(CancellationToken.None).GetAsyncEnumerator();
        await silo.SubmitAsync(Work("t"), CancellationToken.None);
        Assert.IsType<TrialStarted>(await NextAsync(events));

        await silo.DisposeAsync();

        var released = Assert.IsType<TrialReleased>(await NextAsync(events));
        Assert.Equal("silo shutting down", released.Reason);
        Assert.False(await events.MoveNextAsync());
    }

    [Fact]
    public async Task A_watched_attempt_from_an_earlier_process_is_released_at_once()
    {
        await using var silo = new EmbeddedSilo(new EmbeddedSiloOptions { Slots = 1 }, () => new GatedGrain(new()), TimeProvider.System);
        var events = silo.ReadEventsAsync(CancellationToken.None).GetAsyncEnumerator();

        await silo.WatchAsync("old", 3, CancellationToken.None);

        var released = Assert.IsType<TrialReleased>(await NextAsync(events));
        Assert.Equal(("old", 3), (released.TrialId, released.Attempt));
    }

    [Fact]
    public void Options_are_checked_when_the_silo_is_made()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new EmbeddedSilo(new EmbeddedSiloOptions { Slots = 0 }, () => new GatedGrain(new()), TimeProvider.System));
    }
}
