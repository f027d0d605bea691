using VaeSweep.Contracts;
using VaeSweep.Model;

namespace VaeSweep.Grains;

/// <summary>
/// Trains one trial attempt on the calling thread and reports every step. Knows nothing of grains,
/// queues or databases: it sees work in and events out.
/// </summary>
/// <param name="host">Name this attempt reports as its host (the silo's name).</param>
public sealed class TrialAttempt(DatasetCache datasets, string host, TimeProvider time)
{
    /// <summary>
    /// Runs to a terminal event (finished, paused at <see cref="TrialWork.PauseAfter"/>, failed, diverged). Throws <see cref="OperationCanceledException"/>
    /// when cancelled, after reporting every epoch it completed, leaving the decision to its host.
    /// </summary>
    public void Run(TrialWork work, Action<TrialEvent> publish, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        ITrainer trainer;
        try
        {
            var data = datasets.Get(work.Dataset);
            trainer = work.Checkpoint is null
                ? TrainerFactory.Create(work.Config, data)
                : TrainerFactory.Resume(work.Config, data, work.Checkpoint);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            publish(new TrialFailed(work.TrialId, work.Attempt, Describe(ex)));
            return;
        }

        using var owned = trainer;
        publish(new TrialStarted(work.TrialId, work.Attempt, host, trainer.EpochsCompleted, trainer.EngineDescriptor));
        try
        {
            var stop = work.StopEpoch;
            while (trainer.EpochsCompleted < stop)
            {
                var outcome = trainer.TrainEpoch(cancellationToken);
                if (outcome.Divergence is { } reason)
                {
                    publish(new TrialDiverged(work.TrialId, work.Attempt, trainer.EpochsCompleted + 1, reason));
                    return;
                }

                // Work already done is reported even when a stop is requested meanwhile: cancellation stops
                // training, it does not throw away a finished epoch or its checkpoint.
                publish(new EpochCompleted(work.TrialId, work.Attempt, outcome.Metrics!));
                publish(new CheckpointSaved(work.TrialId, work.Attempt, trainer.EpochsCompleted, trainer.SaveCheckpoint()));
            }

            if (work.PausesAtStop)
            {
                publish(new TrialPaused(work.TrialId, work.Attempt, trainer.EpochsCompleted));
                return;
            }

            var validation = trainer.EstimateLogLikelihood(Split.Validation, cancellationToken);
            var test = trainer.EstimateLogLikelihood(Split.Test, cancellationToken);
            var seconds = time.GetElapsedTime(started).TotalSeconds;
            publish(new TrialFinished(work.TrialId, work.Attempt, validation, test, seconds));
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            publish(new TrialFailed(work.TrialId, work.Attempt, Describe(ex)));
        }
    }

    private static string Describe(Exception ex) =>
        ex is AggregateException { InnerException: { } inner } ? Describe(inner) : $"{ex.GetType().Name}: {ex.Message}";
}
