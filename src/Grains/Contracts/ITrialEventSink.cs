namespace VaeSweep.Grains.Contracts;

/// <summary>Where a grain's events go: a channel in the embedded silo, a broker queue in the cluster.</summary>
public interface ITrialEventSink
{
    ValueTask PublishAsync(TrialEvent trialEvent, CancellationToken cancellationToken);
}
