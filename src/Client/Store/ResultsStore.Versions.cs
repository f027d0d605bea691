using System.Data;
using System.Text;
using Dapper;

namespace VaeSweep.Client.Store;

public sealed partial class ResultsStore
{
    /// <summary>
    /// Makes <paramref name="trials"/> the sweep's members as its next version, in one transaction: creates the sweep
    /// (version 1) when there is none, stores the spec text as the new version and as the sweep's spec, removes the
    /// members the list lacks (their trials and results stay in the database) and adds the ones it brings. A trial
    /// that was a member before gets its old place (ordinal) back; a new one goes after every place ever used, in
    /// list order. Whether the text is a new version at all is the caller's decision (see <see cref="Spec.SweepIdentity"/>).
    /// </summary>
    /// <exception cref="ArgumentException">A trial is invalid or listed twice.</exception>
    /// <exception cref="ResultsStoreException">A stored trial of the same id has a different config.</exception>
    public SweepVersion ApplyVersion(string name, string specText, string identity, string settings, IEnumerable<NewTrial> trials)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(specText);
        ArgumentException.ThrowIfNullOrWhiteSpace(identity);
        ArgumentNullException.ThrowIfNull(settings);
        var list = CheckedTrials(name, trials);
        var sha = Sha256Hex(Encoding.UTF8.GetBytes(specText));
        return Run(nameof(ApplyVersion), write: true, (db, tx) =>
        {
            var sweepId = db.QuerySingleOrDefault<long?>("SELECT sweep_id FROM sweeps WHERE name = @name", new { name }, tx)
                ?? InsertSweep(db, tx, name, specText, sha);
            var version = LatestVersionNumber(db, tx, sweepId) + 1;
            InsertVersion(db, tx, sweepId, version, specText, sha, identity, settings);
            db.Execute("UPDATE sweeps SET spec_text = @specText, spec_sha256 = @sha WHERE sweep_id = @sweepId",
                new { specText, sha, sweepId }, tx);

            var members = db.Query<MemberRow>(
                "SELECT trial_id AS TrialId, ordinal AS Ordinal FROM sweep_trials WHERE sweep_id = @sweepId ORDER BY ordinal, trial_id",
                new { sweepId }, tx).ToList();
            var listed = list.Select(t => t.TrialId).ToHashSet(StringComparer.Ordinal);
            var removed = members.Where(m => !listed.Contains(m.TrialId)).ToList();
            foreach (var m in removed)
            {
                db.Execute("DELETE FROM sweep_trials WHERE sweep_id = @sweepId AND trial_id = @TrialId", new { sweepId, m.TrialId }, tx);
                RecordChange(db, tx, sweepId, version, m.TrialId, "removed", m.Ordinal);
            }

            var current = members.Select(m => m.TrialId).ToHashSet(StringComparer.Ordinal);
            var next = db.ExecuteScalar<long?>("""
                SELECT max(ordinal) FROM (SELECT ordinal FROM sweep_trials WHERE sweep_id = @sweepId
                                          UNION ALL SELECT ordinal FROM sweep_version_trials WHERE sweep_id = @sweepId)
                """, new { sweepId }, tx) is { } last ? last + 1 : 0;
            var now = Now();
            var added = new List<string>();
            foreach (var t in list.Where(t => !current.Contains(t.TrialId)))
            {
                var ordinal = db.ExecuteScalar<long?>("""
                    SELECT ordinal FROM sweep_version_trials WHERE sweep_id = @sweepId AND trial_id = @TrialId
                    ORDER BY version DESC LIMIT 1
                    """, new { sweepId, t.TrialId }, tx) ?? next++;
                var placed = t with { Ordinal = (int)ordinal };
                StoreTrial(db, tx, sweepId, placed, now);
                db.Execute("INSERT INTO sweep_trials (sweep_id, trial_id, ordinal) VALUES (@sweepId, @TrialId, @Ordinal)",
                    new { sweepId, placed.TrialId, placed.Ordinal }, tx);
                RecordChange(db, tx, sweepId, version, t.TrialId, "added", ordinal);
                added.Add(t.TrialId);
            }
            return new SweepVersion(version, specText, sha, identity, settings, _time.GetUtcNow(), added,
                removed.Select(m => m.TrialId).ToList());
        });
    }

    /// <summary>The sweep's newest version, or null when there is no sweep of that name.</summary>
    public SweepVersion? LatestVersion(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Run(nameof(LatestVersion), write: false, (db, tx) =>
        {
            var sweepId = db.QuerySingleOrDefault<long?>("SELECT sweep_id FROM sweeps WHERE name = @name", new { name }, tx);
            return sweepId is null ? null : Versions(db, tx, sweepId.Value, newestOnly: true).SingleOrDefault();
        });
    }

    /// <summary>Every version of the sweep, oldest first.</summary>
    /// <exception cref="ResultsStoreException">No sweep of that name.</exception>
    public IReadOnlyList<SweepVersion> VersionsOf(string name) => Run(nameof(VersionsOf), write: false, (db, tx) =>
        Versions(db, tx, RequireSweepId(db, tx, name), newestOnly: false));

    /// <summary>
    /// Makes the sweep's failed trials (and its diverged ones when <paramref name="diverged"/>) pending again, so the
    /// next run gives them new attempts (numbered on from the last, and as many as a new trial gets). The ending of each,
    /// unless already there, is kept in attempt_failures first: the trial's own error and diverged epoch are cleared.
    /// Only current members change.
    /// </summary>
    public RetriedTrials RetryTrials(string name, bool failed, bool diverged) => Run(nameof(RetryTrials), write: true, (db, tx) =>
    {
        var sweepId = RequireSweepId(db, tx, name);
        var statuses = new List<string>();
        if (failed) statuses.Add("failed");
        if (diverged) statuses.Add("diverged");
        var counts = db.Query<(string Status, long Count)>("""
            SELECT t.status, count(*) FROM trials t JOIN sweep_trials st ON st.trial_id = t.trial_id
            WHERE st.sweep_id = @sweepId AND t.status IN @statuses GROUP BY t.status
            """, new { sweepId, statuses }, tx).ToDictionary(r => r.Status, r => (int)r.Count);
        db.Execute("""
            INSERT INTO attempt_failures (trial_id, attempt, error, failed_at)
            SELECT t.trial_id, t.attempts,
                   CASE WHEN t.status = 'diverged' THEN 'diverged at epoch ' || coalesce(t.diverged_epoch, '?') || ': ' ELSE '' END
                       || coalesce(t.error, t.status),
                   coalesce(t.finished_at, @now)
            FROM trials t JOIN sweep_trials st ON st.trial_id = t.trial_id
            WHERE st.sweep_id = @sweepId AND t.status IN @statuses AND t.attempts > 0
            ON CONFLICT (trial_id, attempt) DO NOTHING
            """, new { sweepId, statuses, now = Now() }, tx);
        db.Execute("""
            UPDATE trials SET status = 'pending', error = NULL, finished_at = NULL, seconds = NULL, diverged_epoch = NULL,
                              retried_after = attempts
            WHERE status IN @statuses AND trial_id IN (SELECT trial_id FROM sweep_trials WHERE sweep_id = @sweepId)
            """, new { sweepId, statuses }, tx);
        return new RetriedTrials(counts.GetValueOrDefault("failed"), counts.GetValueOrDefault("diverged"));
    });

    /// <summary>The stored trials among <paramref name="ids"/>, by id; ids no longer stored are missing from it.</summary>
    public IReadOnlyDictionary<string, TrialRecord> FindTrials(IReadOnlyCollection<string> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return Run(nameof(FindTrials), write: false, (db, tx) =>
            ids.Chunk(500).SelectMany(chunk => db.Query<TrialRow>($"SELECT {TrialColumns} FROM trials t WHERE t.trial_id IN @chunk",
                new { chunk }, tx)).Select(r => r.ToRecord()).ToDictionary(t => t.TrialId, StringComparer.Ordinal));
    }

    private static int LatestVersionNumber(IDbConnection db, IDbTransaction tx, long sweepId) =>
        db.ExecuteScalar<int?>("SELECT max(version) FROM sweep_versions WHERE sweep_id = @sweepId", new { sweepId }, tx) ?? 0;

    private void InsertVersion(IDbConnection db, IDbTransaction tx, long sweepId, int version, string specText, string sha,
        string? identity, string? settings) =>
        db.Execute("""
            INSERT INTO sweep_versions (sweep_id, version, spec_text, spec_sha256, identity, settings, created_at)
            VALUES (@sweepId, @version, @specText, @sha, @identity, @settings, @now)
            """, new { sweepId, version, specText, sha, identity, settings, now = Now() }, tx);

    private static void RecordChange(IDbConnection db, IDbTransaction tx, long sweepId, int version, string trialId, string change, long ordinal) =>
        db.Execute("""
            INSERT INTO sweep_version_trials (sweep_id, version, trial_id, change, ordinal)
            VALUES (@sweepId, @version, @trialId, @change, @ordinal)
            ON CONFLICT (sweep_id, version, trial_id) DO NOTHING
            """, new { sweepId, version, trialId, change, ordinal }, tx);

    private static List<SweepVersion> Versions(IDbConnection db, IDbTransaction tx, long sweepId, bool newestOnly)
    {
        var rows = db.Query<VersionRow>($"""
            SELECT version AS Version, spec_text AS SpecText, spec_sha256 AS SpecSha256, identity AS Identity,
                   settings AS Settings, created_at AS CreatedAt
            FROM sweep_versions WHERE sweep_id = @sweepId ORDER BY version {(newestOnly ? "DESC LIMIT 1" : "")}
            """, new { sweepId }, tx).ToList();
        var changes = db.Query<ChangeRow>("""
            SELECT version AS Version, trial_id AS TrialId, change AS Change FROM sweep_version_trials
            WHERE sweep_id = @sweepId ORDER BY version, ordinal, trial_id
            """, new { sweepId }, tx).ToLookup(c => (c.Version, c.Change), c => c.TrialId);
        return rows.Select(r => new SweepVersion((int)r.Version, r.SpecText, r.SpecSha256, r.Identity, r.Settings,
            Timestamps.Parse(r.CreatedAt, $"sweep_versions.created_at of version {r.Version}"),
            changes[(r.Version, "added")].ToList(), changes[(r.Version, "removed")].ToList())).ToList();
    }

    private sealed class MemberRow
    {
        public string TrialId { get; set; } = "";
        public long Ordinal { get; set; }
    }

    private sealed class VersionRow
    {
        public long Version { get; set; }
        public string SpecText { get; set; } = "";
        public string SpecSha256 { get; set; } = "";
        public string? Identity { get; set; }
        public string? Settings { get; set; }
        public string CreatedAt { get; set; } = "";
    }

    private sealed class ChangeRow
    {
        public long Version { get; set; }
        public string TrialId { get; set; } = "";
        public string Change { get; set; } = "";
    }
}
