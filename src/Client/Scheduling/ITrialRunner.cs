using VaeSweep.Contracts;
using VaeSweep.Silo;

namespace VaeSweep.Client.Scheduling;

/// <summary>
/// The scheduler's view of wherever trials run. The client submits work and reads events; it acknowledges
/// an event only after storing it, and the grain that sent it keeps it until then, so a client that dies
/// in between loses nothing. Attempts are the client's: it numbers them, and events of an attempt it has
/// moved past are stale. The scheduling owns this port; <see cref="OrleansTrialRunner"/> binds it to the Orleans
/// cluster (embedded or remote silos alike).
/// </summary>
public interface ITrialRunner
{
    /// <summary>Trials that can run at once over the silos last heard from, where any were.</summary>
    int? Slots { get; }

    /// <summary>Live silos as last heard from.</summary>
    IReadOnlyList<SiloReport> Silos { get; }

    ValueTask SubmitAsync(TrialWork work, CancellationToken cancellationToken);

    /// <summary>
    /// A trial an earlier client saw start: if no live silo holds this attempt, the runner reports it
    /// released so the client can give it out again; if one does, its events flow to this client.
    /// </summary>
    ValueTask WatchAsync(string trialId, int attempt, CancellationToken cancellationToken);

    /// <summary>Stops one attempt of a trial wherever it runs or waits; it ends with <see cref="TrialReleased"/>.</summary>
    ValueTask CancelAsync(string trialId, int attempt, CancellationToken cancellationToken);

    IAsyncEnumerable<ReceivedEvent> ReadEventsAsync(CancellationToken cancellationToken);
}
