using System.Data;
using Dapper;

namespace VaeSweep.Client.Store;

public sealed partial class ResultsStore
{
    /// <summary>
    /// Takes the lease of <paramref name="sweep"/> for <paramref name="holder"/> until now + <paramref name="ttl"/>, in
    /// one write transaction (BEGIN IMMEDIATE), so two clients asking at once cannot both get it. Refused while another
    /// holder's lease on this sweep, or on any sweep holding one of <paramref name="trialIds"/>, is live: not expired,
    /// and not held by a process <paramref name="isGone"/> says has ended. A dead holder's lease is taken over. Called
    /// before anything of the sweep is written, so a refused client leaves no trace.
    /// </summary>
    /// <returns>Null when granted, else what holds it.</returns>
    public LeaseRefusal? TakeLease(string sweep, IReadOnlyCollection<string> trialIds, LeaseHolder holder, TimeSpan ttl, Func<LeaseHolder, bool> isGone)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sweep);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
        return Run(nameof(TakeLease), write: true, (db, tx) =>
        {
            var now = _time.GetUtcNow();
            var wanted = trialIds.ToHashSet(StringComparer.Ordinal);
            foreach (var lease in Leases(db, tx).Where(l => l.Holder.Owner != holder.Owner))
            {
                if (lease.ExpiresAt <= now || isGone(lease.Holder)) continue;
                var shared = lease.Sweep == sweep ? wanted.Count : TrialIdsOf(db, tx, lease.Sweep).Count(wanted.Contains);
                if (lease.Sweep == sweep || shared > 0)
                    return new LeaseRefusal(lease.Sweep, lease.Holder, lease.HeartbeatAt, lease.ExpiresAt, shared);
            }

            db.Execute("""
                INSERT INTO sweep_leases (sweep, owner, host, pid, process_started, taken_at, heartbeat_at, expires_at)
                VALUES (@sweep, @Owner, @Host, @Pid, @started, @now, @now, @expires)
                ON CONFLICT (sweep) DO UPDATE SET owner = excluded.owner, host = excluded.host, pid = excluded.pid,
                    process_started = excluded.process_started, taken_at = excluded.taken_at,
                    heartbeat_at = excluded.heartbeat_at, expires_at = excluded.expires_at
                """, new
            {
                sweep, holder.Owner, holder.Host, holder.Pid, started = Timestamps.ToText(holder.ProcessStarted),
                now = Timestamps.ToText(now), expires = Timestamps.ToText(now + ttl),
            }, tx);
            return (LeaseRefusal?)null;
        });
    }

    /// <summary>Extends the lease to now + <paramref name="ttl"/>; false when <paramref name="owner"/> no longer holds it (it expired and was taken).</summary>
    public bool RenewLease(string sweep, string owner, TimeSpan ttl) => Run(nameof(RenewLease), write: true, (db, tx) =>
    {
        var now = _time.GetUtcNow();
        return db.Execute("UPDATE sweep_leases SET heartbeat_at = @now, expires_at = @expires WHERE sweep = @sweep AND owner = @owner",
            new { sweep, owner, now = Timestamps.ToText(now), expires = Timestamps.ToText(now + ttl) }, tx) == 1;
    });

    /// <summary>Gives the lease up, if <paramref name="owner"/> still holds it.</summary>
    public void ReleaseLease(string sweep, string owner) => Run(nameof(ReleaseLease), write: true, (db, tx) =>
        db.Execute("DELETE FROM sweep_leases WHERE sweep = @sweep AND owner = @owner", new { sweep, owner }, tx));

    /// <summary>The lease of the sweep as stored, live or not; null when none is.</summary>
    public LeaseRefusal? LeaseOf(string sweep) => Run(nameof(LeaseOf), write: false, (db, tx) =>
        Leases(db, tx).Where(l => l.Sweep == sweep).Select(l => new LeaseRefusal(l.Sweep, l.Holder, l.HeartbeatAt, l.ExpiresAt, 0)).FirstOrDefault());

    private static IReadOnlyList<StoredLease> Leases(IDbConnection db, IDbTransaction tx) =>
        db.Query<LeaseRow>("""
            SELECT sweep AS Sweep, owner AS Owner, host AS Host, pid AS Pid, process_started AS ProcessStarted,
                   heartbeat_at AS HeartbeatAt, expires_at AS ExpiresAt
            FROM sweep_leases ORDER BY sweep
            """, transaction: tx).Select(r => r.ToLease()).ToList();

    private static IReadOnlyList<string> TrialIdsOf(IDbConnection db, IDbTransaction tx, string sweep) =>
        db.Query<string>("SELECT st.trial_id FROM sweep_trials st JOIN sweeps s ON s.sweep_id = st.sweep_id WHERE s.name = @sweep",
            new { sweep }, tx).ToList();

    private sealed record StoredLease(string Sweep, LeaseHolder Holder, DateTimeOffset HeartbeatAt, DateTimeOffset ExpiresAt);

    private sealed class LeaseRow
    {
        public string Sweep { get; set; } = "";
        public string Owner { get; set; } = "";
        public string Host { get; set; } = "";
        public long Pid { get; set; }
        public string ProcessStarted { get; set; } = "";
        public string HeartbeatAt { get; set; } = "";
        public string ExpiresAt { get; set; } = "";

        public StoredLease ToLease()
        {
            var where = $"sweep_leases '{Sweep}'";
            return new StoredLease(Sweep,
                new LeaseHolder(Owner, Host, (int)Pid, Timestamps.Parse(ProcessStarted, $"{where}: process_started")),
                Timestamps.Parse(HeartbeatAt, $"{where}: heartbeat_at"), Timestamps.Parse(ExpiresAt, $"{where}: expires_at"));
        }
    }
}
