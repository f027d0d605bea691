using VaeSweep.Grains;
using VaeSweep.Grains.Contracts;
using VaeSweep.Model;
using Xunit.Abstractions;

namespace VaeSweep.Silo.Tests.Broker;

/// <summary>The real trial grain and engine behind the broker, on a tiny synthetic dataset.</summary>
[Collection(BrokerCollection.Name)]
public sealed class RealGrainTests(ITestOutputHelper output)
{
    private static TrialWork Work(TinyIdx data, string trial, int seed, int attempt = 1, byte[]? checkpoint = null) => new(
        "real", trial, attempt,
        new TrialConfig { Hidden = [8], Latent = 2, Epochs = 3, BatchSize = 32, ImportanceSamples = 10, EvalExamples = 20, Seed = seed },
        new DatasetRef("tiny", data.Directory, Validation: 50, SplitSeed: 7, Limit: 0),
        checkpoint);

    [Fact]
    public async Task Real_trials_run_on_two_silos_and_report_finite_results()
    {
        using var data = new TinyIdx();
        await using var kit = new BrokerTestKit(output);
        var datasets = new DatasetCache();
        var runner = await kit.RunnerAsync("real");
        await kit.SiloAsync("real-a", 1, name => new TrialGrain(datasets, name, TimeProvider.System));
        await kit.SiloAsync("real-b", 1, name => new TrialGrain(datasets, name, TimeProvider.System));
        string[] trials = ["r1", "r2", "r3"];
        for (var i = 0; i < trials.Length; i++)
            await runner.SubmitAsync(Work(data, trials[i], seed: i + 1), kit.Token);

        var events = await EventLog.CollectAsync(runner, e => trials.All(t => e.Any(x => x.TrialId == t && x is TrialFinished or TrialFailed or TrialDiverged)), kit.Token);

        Assert.DoesNotContain(events, e => e is TrialFailed or TrialDiverged or TrialReleased);
        foreach (var trial in trials)
        {
            var epochs = events.OfType<EpochCompleted>().Where(e => e.TrialId == trial).Select(e => e.Metrics).ToList();
            Assert.Equal([1, 2, 3], epochs.Select(m => m.Epoch));
            Assert.All(epochs, m => Assert.True(double.IsFinite(m.ValidationElbo) && m.ValidationElbo < 0, $"{trial}: ELBO {m.ValidationElbo}"));
            var finished = events.OfType<TrialFinished>().Single(e => e.TrialId == trial);
            Assert.Equal(20, finished.Test.PerExample.Length);
            Assert.True(double.IsFinite(finished.Test.Mean));
            // The importance-sampled bound is at least as tight as the ELBO (in expectation; K = 10 makes it so here).
            Assert.True(finished.Validation.Mean >= finished.Validation.MeanElbo - 1e-9);
        }
    }

    [Fact]
    public async Task An_attempt_resumed_from_a_checkpoint_ends_exactly_where_an_uninterrupted_run_does()
    {
        using var data = new TinyIdx();
        await using var kit = new BrokerTestKit(output);
        var datasets = new DatasetCache();
        var runner = await kit.RunnerAsync("real");
        await kit.SiloAsync("real-a", 1, name => new TrialGrain(datasets, name, TimeProvider.System));

        await runner.SubmitAsync(Work(data, "whole", seed: 3), kit.Token);
        var events = await EventLog.CollectAsync(runner, EventLog.Has<TrialFinished>("whole"), kit.Token);
        var checkpoint = events.OfType<CheckpointSaved>().Single(c => c.TrialId == "whole" && c.Epoch == 1);

        // A second attempt of the same configuration picks up after epoch 1, as a client does after a lost silo.
        await runner.SubmitAsync(Work(data, "whole", seed: 3, attempt: 2, checkpoint: checkpoint.State), kit.Token);
        events = await EventLog.CollectAsync(runner, EventLog.Has<TrialFinished>("whole", 2), kit.Token, events);

        Assert.Equal(1, events.OfType<TrialStarted>().Single(s => s.Attempt == 2).FromEpoch);
        var first = events.OfType<EpochCompleted>().Where(e => e.Attempt == 1 && e.Metrics.Epoch > 1).Select(e => e.Metrics.ValidationElbo);
        var resumed = events.OfType<EpochCompleted>().Where(e => e.Attempt == 2).Select(e => e.Metrics.ValidationElbo);
        Assert.Equal(first, resumed);
        var ends = events.OfType<TrialFinished>().OrderBy(f => f.Attempt).ToList();
        Assert.Equal(ends[0].Test.PerExample, ends[1].Test.PerExample);
    }
}
