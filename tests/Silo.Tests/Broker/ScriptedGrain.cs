using System.Threading.Channels;
using VaeSweep.Grains.Contracts;
using VaeSweep.Model;

namespace VaeSweep.Silo.Tests.Broker;

/// <summary>
/// A stand-in for the trial grain, for transport tests: reports the same sequence of events a real grain
/// does (started, epoch + checkpoint per epoch, finished) with made-up numbers, at a pace the test sets
/// through <see cref="GrainScript"/>, and throws OperationCanceledException when cancelled.
/// </summary>
internal sealed class ScriptedGrain(string host, GrainScript script) : ITrialGrain
{
    public async Task RunAsync(TrialWork work, ITrialEventSink events, CancellationToken cancellationToken)
    {
        var from = work.Checkpoint is null ? 0 : BitConverter.ToInt32(work.Checkpoint);
        await events.PublishAsync(new TrialStarted(work.TrialId, work.Attempt, host, from), cancellationToken);
        script.Starts.Writer.TryWrite((host, work));
        for (var epoch = from + 1; epoch <= work.Config.Epochs; epoch++)
        {
            await script.BeforeEpoch(work, epoch, cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            await events.PublishAsync(new EpochCompleted(work.TrialId, work.Attempt, Metrics(epoch)), cancellationToken);
            await events.PublishAsync(new CheckpointSaved(work.TrialId, work.Attempt, epoch, BitConverter.GetBytes(epoch)), cancellationToken);
        }

        var estimate = new LogLikelihoodEstimate("validation", 10, 2, -90.5, 1.25, -95.0, [-90.0, -91.0]);
        await events.PublishAsync(new TrialFinished(work.TrialId, work.Attempt, estimate, estimate with { Split = "test" }, 1.5), cancellationToken);
    }

    private static EpochMetrics Metrics(int epoch)
        => new(epoch, 100.0 / epoch, -100.0 / epoch, 5, 95.0 / epoch, -101.0 / epoch, 5, 96.0 / epoch, 0.1, 1000);
}

/// <summary>What the test controls of its scripted grains: their pace, and a feed of the attempts that started.</summary>
internal sealed class GrainScript
{
    public Channel<(string Host, TrialWork Work)> Starts { get; } = Channel.CreateUnbounded<(string, TrialWork)>();

    /// <summary>Awaited before each epoch; by default epochs run straight through.</summary>
    public Func<TrialWork, int, CancellationToken, Task> BeforeEpoch { get; set; } = (_, _, _) => Task.CompletedTask;

    /// <summary>Trials hold before their first epoch until cancelled: "a trial that takes hours".</summary>
    public GrainScript HoldUntilCancelled()
    {
        BeforeEpoch = (_, _, ct) => Task.Delay(Timeout.Infinite, ct);
        return this;
    }

    public ITrialGrain Grain(string host) => new ScriptedGrain(host, this);

    public async Task<(string Host, TrialWork Work)> NextStartAsync(CancellationToken cancellationToken)
        => await Starts.Reader.ReadAsync(cancellationToken);
}
