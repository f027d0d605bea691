using VaeSweep.Grains.Contracts;

namespace VaeSweep.Silo;

/// <summary>
/// The client's view of wherever trials run: the embedded silo in this process, or silos behind a broker.
/// The client submits work and reads events; it acknowledges an event only after storing it, so a
/// runner that can redeliver (the broker) loses nothing when the client dies in between.
/// Attempts are the client's: it numbers them, and events of an attempt it has moved past are stale.
/// </summary>
public interface ITrialRunner : IAsyncDisposable
{
    /// <summary>Trials that can run at once, where known (the embedded silo's slots).</summary>
    int? Slots { get; }

    /// <summary>Live silos as last heard from (one entry for the embedded silo).</summary>
    IReadOnlyList<SiloHeartbeat> Silos { get; }

    ValueTask SubmitAsync(TrialWork work, CancellationToken cancellationToken);

    /// <summary>
    /// A trial an earlier client saw start: if no live silo reports running this attempt within the
    /// runner's lease, the runner reports it released so the client can give it out again.
    /// </summary>
    ValueTask WatchAsync(string trialId, int attempt, CancellationToken cancellationToken);

    /// <summary>Stops one attempt of a trial wherever it runs or waits; it ends with <see cref="TrialReleased"/>.</summary>
    ValueTask CancelAsync(string trialId, int attempt, CancellationToken cancellationToken);

    IAsyncEnumerable<ReceivedEvent> ReadEventsAsync(CancellationToken cancellationToken);
}
