using VaeSweep.Grains.Contracts;

namespace VaeSweep.Silo;

/// <summary>
/// The client's view of wherever trials run: the embedded silo in this process, or silos behind a broker.
/// The client submits work and reads events; it acknowledges an event only after storing it, so a
/// runner that can redeliver (the broker) loses nothing when the client dies in between.
/// </summary>
public interface ITrialRunner : IAsyncDisposable
{
    /// <summary>Trials that can run at once, where known (the embedded silo's slots).</summary>
    int? Slots { get; }

    ValueTask SubmitAsync(TrialWork work, CancellationToken cancellationToken);

    /// <summary>Stops a trial wherever it runs; its attempt ends with <see cref="TrialReleased"/>.</summary>
    ValueTask CancelAsync(string trialId, CancellationToken cancellationToken);

    IAsyncEnumerable<ReceivedEvent> ReadEventsAsync(CancellationToken cancellationToken);
}
