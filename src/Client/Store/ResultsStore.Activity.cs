using Dapper;

namespace VaeSweep.Client.Store;

public sealed partial class ResultsStore
{
    /// <summary>
    /// Per sweep, oldest first: its best finished trial's held-out log-likelihood (null before one finished) and the
    /// latest time anything happened to it (created, a trial started or ended, a checkpoint stored, a rung decided).
    /// </summary>
    public IReadOnlyList<SweepActivity> SweepActivities() => Run(nameof(SweepActivities), write: false, (db, tx) =>
        db.Query<ActivityRow>("""
            SELECT s.name AS Name,
                   (SELECT max(r.heldout_ll) FROM results r WHERE r.sweep = s.name AND r.status = 'finished') AS BestHeldoutLl,
                   max(s.created_at,
                       coalesce((SELECT max(max(coalesce(t.started_at, ''), coalesce(t.finished_at, ''))) FROM sweep_trials st
                                 JOIN trials t ON t.trial_id = st.trial_id WHERE st.sweep_id = s.sweep_id), ''),
                       coalesce((SELECT max(c.created_at) FROM sweep_trials st
                                 JOIN checkpoints c ON c.trial_id = st.trial_id WHERE st.sweep_id = s.sweep_id), ''),
                       coalesce((SELECT max(d.decided_at) FROM rung_decisions d WHERE d.sweep_id = s.sweep_id), '')) AS LastActivity
            FROM sweeps s ORDER BY s.sweep_id
            """, transaction: tx)
            .Select(r => new SweepActivity(r.Name, r.BestHeldoutLl, Timestamps.Parse(r.LastActivity, $"last activity of sweep '{r.Name}'")))
            .ToList());

    private sealed class ActivityRow
    {
        public string Name { get; set; } = "";
        public double? BestHeldoutLl { get; set; }
        public string LastActivity { get; set; } = "";
    }
}

/// <summary>See <see cref="ResultsStore.SweepActivities"/>.</summary>
public sealed record SweepActivity(string Name, double? BestHeldoutLl, DateTimeOffset LastActivity);
