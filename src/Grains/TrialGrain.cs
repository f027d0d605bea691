using VaeSweep.Grains.Contracts;
using VaeSweep.Model;

namespace VaeSweep.Grains;

/// <summary>
/// Trains one trial attempt on the calling thread and reports every step. Knows nothing of queues,
/// brokers or databases: it sees work in and events out.
/// </summary>
/// <param name="host">Name this grain reports as its host (the silo's name).</param>
public sealed class TrialGrain(DatasetCache datasets, string host, TimeProvider time) : ITrialGrain
{
    public async Task RunAsync(TrialWork work, ITrialEventSink events, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        VaeTrainer trainer;
        try
        {
            var data = datasets.Get(work.Dataset);
            trainer = work.Checkpoint is null
                ? VaeTrainer.Create(work.Config, data)
                : VaeTrainer.Resume(work.Config, data, work.Checkpoint);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await events.PublishAsync(new TrialFailed(work.TrialId, work.Attempt, Describe(ex)), cancellationToken);
            return;
        }

        await events.PublishAsync(new TrialStarted(work.TrialId, work.Attempt, host, trainer.EpochsCompleted, EngineInfo.Descriptor), cancellationToken);
        try
        {
            while (trainer.EpochsCompleted < work.Config.Epochs)
            {
                var outcome = trainer.TrainEpoch(cancellationToken);
                if (outcome.Divergence is { } reason)
                {
                    await events.PublishAsync(new TrialDiverged(work.TrialId, work.Attempt, trainer.EpochsCompleted + 1, reason), CancellationToken.None);
                    return;
                }

                // Work already done is reported even when a stop is requested meanwhile: cancellation stops
                // training, it does not throw away a finished epoch or its checkpoint.
                await events.PublishAsync(new EpochCompleted(work.TrialId, work.Attempt, outcome.Metrics!), CancellationToken.None);
                await events.PublishAsync(new CheckpointSaved(work.TrialId, work.Attempt, trainer.EpochsCompleted, trainer.SaveCheckpoint()), CancellationToken.None);
            }

            var validation = trainer.EstimateLogLikelihood(Split.Validation, cancellationToken);
            var test = trainer.EstimateLogLikelihood(Split.Test, cancellationToken);
            var seconds = time.GetElapsedTime(started).TotalSeconds;
            await events.PublishAsync(new TrialFinished(work.TrialId, work.Attempt, validation, test, seconds), CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await events.PublishAsync(new TrialFailed(work.TrialId, work.Attempt, Describe(ex)), cancellationToken);
        }
    }

    private static string Describe(Exception ex) =>
        ex is AggregateException { InnerException: { } inner } ? Describe(inner) : $"{ex.GetType().Name}: {ex.Message}";
}
