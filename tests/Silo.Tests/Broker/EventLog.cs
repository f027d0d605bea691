using VaeSweep.Grains.Contracts;

namespace VaeSweep.Silo.Tests.Broker;

/// <summary>Reads a runner's events like a client: "stores" each, then acknowledges it.</summary>
internal static class EventLog
{
    public static async Task<List<TrialEvent>> CollectAsync(
        ITrialRunner runner, Func<IReadOnlyList<TrialEvent>, bool> done, CancellationToken cancellationToken, List<TrialEvent>? into = null)
    {
        var stored = into ?? [];
        if (done(stored)) return stored;
        await foreach (var received in runner.ReadEventsAsync(cancellationToken))
        {
            stored.Add(received.Event);
            await received.AcknowledgeAsync();
            if (done(stored)) break;
        }

        return stored;
    }

    public static Func<IReadOnlyList<TrialEvent>, bool> Has<T>(string trialId, int attempt = 1) where T : TrialEvent
        => events => events.Any(e => e is T && e.TrialId == trialId && e.Attempt == attempt);

    public static Func<IReadOnlyList<TrialEvent>, bool> AllFinished(IEnumerable<string> trials)
    {
        var wanted = trials.ToHashSet();
        return events => wanted.IsSubsetOf(events.OfType<TrialFinished>().Select(e => e.TrialId));
    }

    /// <summary>The complete event sequence of a three-epoch scripted trial, one line per event, in order.</summary>
    public static string[] ExpectedRun(string trial, int epochs = 3)
        => [$"started {trial}", .. Enumerable.Range(1, epochs).SelectMany(e => new[] { $"epoch {trial} {e}", $"checkpoint {trial} {e}" }), $"finished {trial}"];

    public static string Describe(TrialEvent e) => e switch
    {
        TrialStarted s => $"started {s.TrialId}",
        EpochCompleted x => $"epoch {x.TrialId} {x.Metrics.Epoch}",
        CheckpointSaved c => $"checkpoint {c.TrialId} {c.Epoch}",
        TrialFinished f => $"finished {f.TrialId}",
        TrialReleased r => $"released {r.TrialId}: {r.Reason}",
        TrialFailed f => $"failed {f.TrialId}: {f.Error}",
        _ => e.ToString(),
    };
}
