using VaeSweep.Grains.Contracts;

namespace VaeSweep.Silo.Broker;

/// <summary>
/// The client's bookkeeping of attempts believed to be running: each is renewed by a TrialStarted event or
/// by a heartbeat that lists it, and ends with its terminal event. One not renewed for a lease is due for
/// release. Attempts that ended stay ended, so a redelivered TrialStarted cannot resurrect them.
/// Not thread-safe: the runner serialises access.
/// </summary>
internal sealed class LeaseTracker(TimeSpan lease)
{
    private readonly Dictionary<RunningTrial, Lease> leases = [];
    private readonly HashSet<RunningTrial> ended = [];

    public int Count => leases.Count;

    public bool IsTracked(RunningTrial attempt) => leases.ContainsKey(attempt);

    public bool HasEnded(RunningTrial attempt) => ended.Contains(attempt);

    /// <summary>A TrialStarted was received (possibly long after it was sent: the lease starts now).</summary>
    public void Started(RunningTrial attempt, string silo, DateTimeOffset now) => Renew(attempt, silo, now);

    /// <summary>
    /// A heartbeat of <paramref name="silo"/> lists the attempt: renews it if tracked. An attempt not yet seen to
    /// start is not tracked from heartbeats: until it starts, its unacknowledged work message protects it.
    /// </summary>
    public void Listed(RunningTrial attempt, string silo, DateTimeOffset now)
    {
        if (leases.ContainsKey(attempt)) Renew(attempt, silo, now);
    }

    /// <summary>The client submits this attempt (again): a run of it that ended earlier no longer counts.</summary>
    public void Reopen(RunningTrial attempt) => ended.Remove(attempt);

    /// <summary>An attempt an earlier client saw start: it gets one lease to be listed by some silo.</summary>
    public void Watch(RunningTrial attempt, DateTimeOffset now)
    {
        if (ended.Contains(attempt) || leases.ContainsKey(attempt)) return;
        leases[attempt] = new Lease(null, now);
    }

    /// <summary>Its terminal event arrived (or the runner released it).</summary>
    public void End(RunningTrial attempt)
    {
        leases.Remove(attempt);
        ended.Add(attempt);
    }

    /// <summary>Attempts not renewed for a lease, with the silo last known to run them (null: none ever did).</summary>
    public IReadOnlyList<(RunningTrial Attempt, string? Silo, TimeSpan Silent)> Expired(DateTimeOffset now)
        => [.. leases.Where(l => now - l.Value.Renewed >= lease).Select(l => (l.Key, l.Value.Silo, now - l.Value.Renewed))];

    /// <summary>After a reconnection: heartbeats were lost on our side, so every lease starts again.</summary>
    public void Refresh(DateTimeOffset now)
    {
        foreach (var attempt in leases.Keys.ToList())
            leases[attempt] = leases[attempt] with { Renewed = now };
    }

    private void Renew(RunningTrial attempt, string silo, DateTimeOffset now)
    {
        if (ended.Contains(attempt)) return;
        var renewed = leases.TryGetValue(attempt, out var current) && current.Renewed > now ? current.Renewed : now;
        leases[attempt] = new Lease(silo, renewed);
    }

    private sealed record Lease(string? Silo, DateTimeOffset Renewed);
}
