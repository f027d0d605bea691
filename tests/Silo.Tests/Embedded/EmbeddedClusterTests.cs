using Microsoft.Extensions.Logging.Abstractions;
using VaeSweep.Contracts;
using VaeSweep.Model;

namespace VaeSweep.Silo.Tests.Embedded;

/// <summary>The runner over a real in-process Orleans silo, with the real grains and engine on synthetic data.</summary>
public sealed class EmbeddedClusterTests : IDisposable
{
    private readonly string data = IdxFiles.Write(Directory.CreateTempSubdirectory("vaesweep-embedded-").FullName);

    private static readonly TrialConfig Tiny = new()
    {
        Latent = 2, Hidden = [16], Sigma = 0.3, LearningRate = 3e-3, Epochs = 2, BatchSize = 32,
        ImportanceSamples = 10, EvalExamples = 10,
    };

    public void Dispose() => Directory.Delete(data, recursive: true);

    private TrialWork Work(string id, TrialConfig? config = null, int attempt = 1) =>
        new("s", id, attempt, config ?? Tiny, new DatasetRef("blobs", data, 40, 0, 0), null);

    private static Task<ClusterTrialRunner> StartAsync(int slots) =>
        EmbeddedCluster.StartAsync(new EmbeddedClusterOptions { Slots = slots, Name = "embedded-test" }, TimeProvider.System,
            NullLoggerFactory.Instance, CancellationToken.None);

    private static async Task<TrialEvent> NextAsync(IAsyncEnumerator<ReceivedEvent> events)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        Assert.True(await events.MoveNextAsync().AsTask().WaitAsync(timeout.Token));
        await events.Current.AcknowledgeAsync();
        return events.Current.Event;
    }

    private static bool Terminal(TrialEvent e) => e is TrialFinished or TrialFailed or TrialDiverged or TrialReleased;

    [Fact]
    public async Task Every_submitted_trial_finishes_once_with_the_silo_never_above_its_slots()
    {
        await using var runner = await StartAsync(slots: 2);
        var events = runner.ReadEventsAsync(CancellationToken.None).GetAsyncEnumerator();
        for (var i = 0; i < 5; i++) await runner.SubmitAsync(Work($"t{i}", Tiny with { Epochs = 20 }), CancellationToken.None);

        var seen = new List<TrialEvent>();
        var mostRunning = 0;
        while (seen.Count(Terminal) < 5)
        {
            seen.Add(await NextAsync(events));
            foreach (var silo in runner.Silos) mostRunning = Math.Max(mostRunning, silo.Running.Count);
        }

        Assert.Equal(["t0", "t1", "t2", "t3", "t4"], seen.OfType<TrialFinished>().Select(e => e.TrialId).Order());
        Assert.All(seen.OfType<TrialStarted>(), s => Assert.Equal("embedded-test", s.Host));
        // Reports are sampled once a poll; trials are placed as soon as a slot frees, so on a fast machine the five can all
        // be over before any report shows one running. What a report does show must never exceed the slots.
        Assert.InRange(mostRunning, 0, 2);
        var silo1 = Assert.Single(runner.Silos);
        Assert.Equal((2, EngineInfo.Descriptor), (silo1.Slots, silo1.Engine));
        Assert.Equal(2, runner.Slots);
    }

    [Fact]
    public async Task Cancelling_an_attempt_releases_it_whether_running_or_still_waiting()
    {
        await using var runner = await StartAsync(slots: 1);
        var events = runner.ReadEventsAsync(CancellationToken.None).GetAsyncEnumerator();
        await runner.SubmitAsync(Work("running", Tiny with { Epochs = 100_000 }), CancellationToken.None);
        await runner.SubmitAsync(Work("waiting"), CancellationToken.None);
        Assert.Equal("running", Assert.IsType<TrialStarted>(await NextAsync(events)).TrialId);

        await runner.CancelAsync("waiting", 1, CancellationToken.None);
        await runner.CancelAsync("running", 1, CancellationToken.None);

        var released = new List<TrialReleased>();
        while (released.Count < 2)
            if (await NextAsync(events) is TrialReleased r) released.Add(r);
        Assert.Equal([("running", "cancelled"), ("waiting", "cancelled before it started")],
            released.Select(r => (r.TrialId, r.Reason)).Order());
    }

    [Fact]
    public async Task Cancelling_another_attempt_of_the_same_trial_leaves_the_running_one_alone()
    {
        await using var runner = await StartAsync(slots: 1);
        var events = runner.ReadEventsAsync(CancellationToken.None).GetAsyncEnumerator();
        await runner.SubmitAsync(Work("t", attempt: 2), CancellationToken.None);
        Assert.IsType<TrialStarted>(await NextAsync(events));

        await runner.CancelAsync("t", 1, CancellationToken.None);

        TrialEvent last;
        while (!Terminal(last = await NextAsync(events))) { }
        Assert.Equal(("t", 2), (Assert.IsType<TrialFinished>(last).TrialId, last.Attempt));
    }

    [Fact]
    public async Task A_watched_attempt_that_no_silo_holds_is_released()
    {
        await using var runner = await StartAsync(slots: 1);
        var events = runner.ReadEventsAsync(CancellationToken.None).GetAsyncEnumerator();

        await runner.WatchAsync("old", 3, CancellationToken.None);

        var released = Assert.IsType<TrialReleased>(await NextAsync(events));
        Assert.Equal(("old", 3), (released.TrialId, released.Attempt));
    }

    [Fact]
    public async Task Options_are_checked_before_anything_starts()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => StartAsync(slots: 0));
    }
}
