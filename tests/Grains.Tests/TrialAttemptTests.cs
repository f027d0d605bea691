using VaeSweep.Contracts;
using VaeSweep.Model;

namespace VaeSweep.Grains.Tests;

public sealed class TrialAttemptTests : IDisposable
{
    private readonly string data = IdxFiles.Write(Directory.CreateTempSubdirectory("vaesweep-grain-").FullName);
    private readonly DatasetCache datasets = new();

    private static readonly TrialConfig Tiny = new()
    {
        Latent = 2, Hidden = [16], Sigma = 0.3, LearningRate = 3e-3, Epochs = 4, BatchSize = 32,
        ImportanceSamples = 20, EvalExamples = 20,
    };

    public void Dispose() => Directory.Delete(data, recursive: true);

    private TrialWork Work(TrialConfig config, byte[]? checkpoint = null, string? path = null) =>
        new("s", "t1", 1, config, new DatasetRef("blobs", path ?? data, 40, 0, 0), checkpoint);

    private TrialAttempt Attempt() => new(datasets, "test-host", TimeProvider.System);

    [Fact]
    public void A_trial_reports_start_each_epoch_with_its_checkpoint_then_both_estimates()
    {
        var sink = new CollectingSink();
        Attempt().Run(Work(Tiny), sink.Add, CancellationToken.None);

        var kinds = sink.Events.Select(e => e.GetType().Name).ToList();
        Assert.Equal(
            ["TrialStarted", .. Enumerable.Repeat(new[] { "EpochCompleted", "CheckpointSaved" }, 4).SelectMany(x => x), "TrialFinished"],
            kinds);
        Assert.Equal(new TrialStarted("t1", 1, "test-host", 0, EngineInfo.Descriptor), sink.Events[0]);
        Assert.Equal([1, 2, 3, 4], sink.Events.OfType<EpochCompleted>().Select(e => e.Metrics.Epoch));
        Assert.Equal([1, 2, 3, 4], sink.Events.OfType<CheckpointSaved>().Select(e => e.Epoch));
        var done = sink.Events.OfType<TrialFinished>().Single();
        Assert.Equal("validation", done.Validation.Split);
        Assert.Equal("test", done.Test.Split);
        Assert.Equal(20, done.Validation.PerExample.Length);
        Assert.True(done.Validation.Mean >= done.Validation.MeanElbo, "the importance-sampled estimate lies below the ELBO");
    }

    [Fact]
    public void A_trial_resumed_from_an_epoch_checkpoint_ends_exactly_as_the_uninterrupted_one()
    {
        var whole = new CollectingSink();
        Attempt().Run(Work(Tiny), whole.Add, CancellationToken.None);
        var afterTwo = whole.Events.OfType<CheckpointSaved>().Single(c => c.Epoch == 2).State;

        var resumed = new CollectingSink();
        Attempt().Run(Work(Tiny, afterTwo), resumed.Add, CancellationToken.None);

        Assert.Equal(2, resumed.Events.OfType<TrialStarted>().Single().FromEpoch);
        Assert.Equal([3, 4], resumed.Events.OfType<EpochCompleted>().Select(e => e.Metrics.Epoch));
        var a = whole.Events.OfType<TrialFinished>().Single();
        var b = resumed.Events.OfType<TrialFinished>().Single();
        Assert.Equal(a.Validation.PerExample, b.Validation.PerExample);
        Assert.Equal(a.Test.Mean, b.Test.Mean);
        Assert.Equal(
            whole.Events.OfType<EpochCompleted>().Where(e => e.Metrics.Epoch > 2).Select(e => e.Metrics.ValidationElbo),
            resumed.Events.OfType<EpochCompleted>().Select(e => e.Metrics.ValidationElbo));
    }

    [Fact]
    public void A_trial_asked_to_pause_stops_after_that_epoch_and_its_checkpoint_and_goes_on_from_there_unchanged()
    {
        var whole = new CollectingSink();
        Attempt().Run(Work(Tiny), whole.Add, CancellationToken.None);

        var first = new CollectingSink();
        Attempt().Run(Work(Tiny) with { PauseAfter = 2 }, first.Add, CancellationToken.None);
        Assert.Equal(
            ["TrialStarted", "EpochCompleted", "CheckpointSaved", "EpochCompleted", "CheckpointSaved", "TrialPaused"],
            first.Events.Select(e => e.GetType().Name));
        Assert.Equal(2, first.Events.OfType<TrialPaused>().Single().Epoch);

        var rest = new CollectingSink();
        Attempt().Run(Work(Tiny, first.Events.OfType<CheckpointSaved>().Last().State) with { PauseAfter = 3 }, rest.Add, CancellationToken.None);
        Assert.Equal(3, rest.Events.OfType<TrialPaused>().Single().Epoch);
        var last = new CollectingSink();
        Attempt().Run(Work(Tiny, rest.Events.OfType<CheckpointSaved>().Last().State), last.Add, CancellationToken.None);

        // Pausing twice changes nothing: the same curve and the same estimates, bit for bit.
        Assert.Equal(
            whole.Events.OfType<EpochCompleted>().Select(e => e.Metrics.ValidationElbo),
            first.Events.Concat(rest.Events).Concat(last.Events).OfType<EpochCompleted>().Select(e => e.Metrics.ValidationElbo));
        Assert.Equal(whole.Events.OfType<TrialFinished>().Single().Validation.PerExample, last.Events.OfType<TrialFinished>().Single().Validation.PerExample);
    }

    [Fact]
    public void A_pause_at_or_past_the_last_epoch_is_no_pause_and_finish_at_evaluates_there()
    {
        var atEnd = new CollectingSink();
        Attempt().Run(Work(Tiny) with { PauseAfter = Tiny.Epochs }, atEnd.Add, CancellationToken.None);
        Assert.Empty(atEnd.Events.OfType<TrialPaused>());
        Assert.Single(atEnd.Events.OfType<TrialFinished>());

        var early = new CollectingSink();
        Attempt().Run(Work(Tiny) with { FinishAt = 2 }, early.Add, CancellationToken.None);
        Assert.Equal([1, 2], early.Events.OfType<EpochCompleted>().Select(e => e.Metrics.Epoch));
        var twoEpochs = new CollectingSink();
        Attempt().Run(Work(Tiny with { Epochs = 2 }), twoEpochs.Add, CancellationToken.None);
        // Evaluated at epoch 2 of 4 is the model a 2-epoch trial ends with.
        Assert.Equal(twoEpochs.Events.OfType<TrialFinished>().Single().Validation.PerExample, early.Events.OfType<TrialFinished>().Single().Validation.PerExample);
    }

    [Fact]
    public void A_missing_dataset_becomes_a_failed_event_naming_the_directory()
    {
        var sink = new CollectingSink();
        Attempt().Run(Work(Tiny, path: Path.Combine(data, "missing")), sink.Add, CancellationToken.None);

        var failed = Assert.IsType<TrialFailed>(Assert.Single(sink.Events));
        Assert.Contains("missing", failed.Error);
    }

    [Fact]
    public void A_diverging_configuration_ends_with_a_diverged_event_not_an_exception()
    {
        var sink = new CollectingSink();
        Attempt().Run(Work(Tiny with { LearningRate = 1e30 }), sink.Add, CancellationToken.None);

        var diverged = Assert.IsType<TrialDiverged>(sink.Events[^1]);
        Assert.InRange(diverged.Epoch, 1, Tiny.Epochs);
        Assert.False(string.IsNullOrWhiteSpace(diverged.Reason));
        Assert.DoesNotContain(sink.Events, e => e is TrialFinished or TrialFailed);
    }

    [Fact]
    public void Cancellation_stops_the_trial_without_a_terminal_event()
    {
        using var cts = new CancellationTokenSource();
        var sink = new CollectingSink { After = e => { if (e is EpochCompleted { Metrics.Epoch: 1 }) cts.Cancel(); } };

        Assert.ThrowsAny<OperationCanceledException>(() => Attempt().Run(Work(Tiny with { Epochs = 50 }), sink.Add, cts.Token));

        Assert.DoesNotContain(sink.Events, e => e is TrialFinished or TrialFailed or TrialDiverged);
        Assert.True(sink.Events.OfType<EpochCompleted>().Count() < 50);
    }
}
