namespace VaeSweep.Grains.Contracts;

/// <summary>
/// Owns one trial for one attempt: loads its data, trains epoch by epoch, checkpoints, evaluates and
/// reports through the sink. Completes after publishing a terminal event (finished, failed, diverged);
/// throws <see cref="OperationCanceledException"/> when cancelled, leaving the decision to its host.
/// </summary>
public interface ITrialGrain
{
    Task RunAsync(TrialWork work, ITrialEventSink events, CancellationToken cancellationToken);
}
