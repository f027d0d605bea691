using VaeSweep.Client.Store;

namespace VaeSweep.Client.Monitoring;

/// <summary>One sweep as <c>status</c> shows it (and writes it as JSON, field for field).</summary>
/// <param name="State">running, interrupted, pending, finished or cancelled (see <see cref="Liveness.SweepState"/>).</param>
/// <param name="StoredStatus">The sweeps.status column as the last client left it.</param>
/// <param name="Counts">Trials by <see cref="TrialActivity"/>, in lifecycle order.</param>
/// <param name="Trials">The trials worth a line: running, waiting, interrupted, paused, failed, diverged.</param>
public sealed record SweepStatusView(
    string Name,
    string State,
    string StoredStatus,
    int TrialCount,
    IReadOnlyDictionary<string, int> Counts,
    IReadOnlyList<TrialStatusView> Trials);

/// <param name="Epoch">Epochs stored so far.</param>
/// <param name="Host">The silo it last ran on (null when never started).</param>
/// <param name="Attempt">Attempts given out so far; the current one is this number.</param>
/// <param name="StartedAttempts">How many of them a worker started (the rest were lost or stopped while queued).</param>
public sealed record TrialStatusView(string Trial, string Activity, int Epoch, int Epochs, string? Host, int Attempt, int StartedAttempts, string? Error);

/// <summary>A silo as last recorded by a client, judged up or gone.</summary>
public sealed record SiloStatusView(string Name, string Host, int Slots, int? Running, bool Up, DateTimeOffset LastSeen, double SecondsAgo);

public static class StatusViews
{
    public static SweepStatusView Sweep(SweepRecord sweep, IReadOnlyList<TrialRecord> trials, Func<string, int> epochsStored,
        IReadOnlyList<SiloRecord> silos, DateTimeOffset now, StatusOptions options)
    {
        var activities = Liveness.Classify(trials, silos, now, options);
        var counts = activities.GroupBy(a => a).OrderBy(g => g.Key).ToDictionary(g => g.Key.ToText(), g => g.Count());
        var worthALine = trials.Zip(activities)
            .Where(p => p.Second is TrialActivity.Running or TrialActivity.Waiting or TrialActivity.Interrupted or TrialActivity.Paused
                or TrialActivity.Failed or TrialActivity.Diverged)
            .OrderBy(p => p.Second).ThenBy(p => p.First.Ordinal)
            .Select(p => new TrialStatusView(p.First.TrialId, p.Second.ToText(), epochsStored(p.First.TrialId), p.First.Epochs,
                string.IsNullOrEmpty(p.First.Host) ? null : p.First.Host, p.First.Attempts, p.First.StartedAttempts, p.First.Error))
            .ToList();
        return new SweepStatusView(sweep.Name, Liveness.SweepState(sweep.Status, activities), sweep.Status.ToDb(), trials.Count, counts, worthALine);
    }

    public static SiloStatusView Silo(SiloRecord silo, DateTimeOffset now, StatusOptions options)
    {
        var up = Liveness.IsUp(silo, now, options);
        // A gone silo's last running count is history, not a fact about now: left out.
        return new SiloStatusView(silo.Name, silo.Host, silo.Slots, up ? silo.Running : null, up, silo.LastHeartbeat,
            Math.Max(0, (now - silo.LastHeartbeat).TotalSeconds));
    }
}
