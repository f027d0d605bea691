using System.Collections.Concurrent;
using VaeSweep.Contracts;

namespace VaeSweep.Grains.Tests;

/// <summary>Keeps every event an attempt publishes, in order.</summary>
internal sealed class CollectingSink
{
    private readonly ConcurrentQueue<TrialEvent> events = new();

    /// <summary>Called after each event is kept, e.g. to cancel mid-trial.</summary>
    public Action<TrialEvent>? After { get; init; }

    public IReadOnlyList<TrialEvent> Events => [.. events];

    public void Add(TrialEvent trialEvent)
    {
        events.Enqueue(trialEvent);
        After?.Invoke(trialEvent);
    }
}
