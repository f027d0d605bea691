using VaeSweep.Client.Store;

namespace VaeSweep.Client.Monitoring;

/// <summary>
/// Decides, from what the store holds, what is alive: a silo is up while a running client keeps recording its
/// heartbeat, a trial runs only on a silo that is up, and a sweep is being worked on while any of its trials runs.
/// Pure: the clock reading is passed in.
/// </summary>
public static class Liveness
{
    /// <summary>Heard from within <see cref="StatusOptions.StaleAfter"/>, and not seen to stop since.</summary>
    public static bool IsUp(SiloRecord silo, DateTimeOffset now, StatusOptions options) =>
        silo.StoppedAt is null && now - silo.LastHeartbeat <= options.StaleAfter;

    /// <summary>Every trial of one sweep, classified together (whether one waits depends on whether others run).</summary>
    public static IReadOnlyList<TrialActivity> Classify(IReadOnlyList<TrialRecord> trials, IReadOnlyList<SiloRecord> silos, DateTimeOffset now, StatusOptions options)
    {
        var up = silos.Where(s => IsUp(s, now, options)).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        bool RunsNow(TrialRecord t) => t.Status == TrialStatus.Running && t.Host is { Length: > 0 } host && up.Contains(host);
        // Heartbeats are recorded only by a running client; one of them works on this sweep when a trial of it runs.
        var worked = trials.Any(RunsNow);
        return trials.Select(t => t.Status switch
        {
            TrialStatus.Pending => worked ? TrialActivity.Waiting : TrialActivity.Pending,
            TrialStatus.Running when RunsNow(t) => TrialActivity.Running,
            // Handed out but not yet started on a silo (the host is set when one starts it): queued for a slot.
            TrialStatus.Running when string.IsNullOrEmpty(t.Host) && worked => TrialActivity.Waiting,
            TrialStatus.Running => TrialActivity.Interrupted,
            TrialStatus.Paused => TrialActivity.Paused,
            TrialStatus.Finished => TrialActivity.Finished,
            TrialStatus.Pruned => TrialActivity.Pruned,
            TrialStatus.Failed => TrialActivity.Failed,
            TrialStatus.Diverged => TrialActivity.Diverged,
            TrialStatus.Cancelled => TrialActivity.Cancelled,
            _ => throw new ArgumentOutOfRangeException(nameof(trials), t.Status, "unknown trial status"),
        }).ToList();
    }

    /// <summary>
    /// The sweep's state in words: finished and cancelled as stored; otherwise running while any trial runs,
    /// finished when every trial ended, interrupted when work was started and nothing carries it on, else pending.
    /// </summary>
    public static string SweepState(SweepStatus stored, IReadOnlyCollection<TrialActivity> trials)
    {
        if (stored is SweepStatus.Finished or SweepStatus.Cancelled) return stored.ToDb();
        if (trials.Any(t => t is TrialActivity.Running)) return "running";
        if (trials.Count > 0 && trials.All(t => t.IsEnded())) return "finished";
        if (trials.Any(t => t is not TrialActivity.Pending)) return "interrupted";
        return "pending";
    }
}
