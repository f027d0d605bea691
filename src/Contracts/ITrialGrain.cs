namespace VaeSweep.Contracts;

/// <summary>
/// One trial, keyed by trial id. It trains one attempt at a time on a thread of its own and sends its
/// events, in order, to the observer it was last given. Every call returns at once, however long training takes.
/// </summary>
public interface ITrialGrain : IGrainWithStringKey
{
    /// <summary>Starts <paramref name="work"/> here, unless this silo's slots are full or another attempt still runs.</summary>
    Task<StartOutcome> StartAsync(TrialWork work, ITrialObserver observer);

    /// <summary>Sends this activation's events (undelivered ones first) to <paramref name="observer"/> from now on.</summary>
    /// <returns>The attempt this activation holds, or null when it holds none.</returns>
    Task<int?> AttachAsync(ITrialObserver observer);

    /// <summary>Stops <paramref name="attempt"/> if it runs here; it ends with <see cref="TrialReleased"/>.</summary>
    Task CancelAsync(int attempt);
}

/// <summary>What <see cref="ITrialGrain.StartAsync"/> did.</summary>
[GenerateSerializer]
public enum StartOutcome
{
    /// <summary>The attempt now trains here (also when it already did).</summary>
    Started,

    /// <summary>Every slot of this silo is taken; try another silo or later.</summary>
    SiloFull,

    /// <summary>An older attempt of the trial is still stopping here; try again shortly.</summary>
    Busy,
}
