using System.Data;
using System.Security.Cryptography;
using System.Text;
using Dapper;

namespace VaeSweep.Client.Store;

public sealed partial class ResultsStore
{
    private const string SweepColumns = "sweep_id AS SweepId, name AS Name, spec_text AS SpecText, spec_sha256 AS SpecSha256, created_at AS CreatedAt, status AS Status";

    /// <summary>
    /// Creates the sweep (its version 1, with no identity: see <see cref="ApplyVersion"/> for what run uses), or
    /// returns the existing one when a sweep of that name holds the same spec text (so re-running a spec is harmless).
    /// </summary>
    /// <exception cref="ResultsStoreException">A sweep of that name exists with a different spec.</exception>
    public SweepRecord CreateSweep(string name, string specText)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(specText);
        var sha = Sha256Hex(Encoding.UTF8.GetBytes(specText));
        return Run(nameof(CreateSweep), write: true, (db, tx) =>
        {
            var existing = FindSweep(db, tx, name);
            if (existing is not null)
            {
                if (existing.SpecSha256 != sha)
                    throw new ResultsStoreException(
                        $"{Path}: sweep '{name}' already exists with a different spec (sha256 {existing.SpecSha256[..12]}…, " +
                        $"this spec {sha[..12]}…); give the new spec another sweep name");
                return existing;
            }
            var sweepId = InsertSweep(db, tx, name, specText, sha);
            InsertVersion(db, tx, sweepId, 1, specText, sha, identity: null, settings: null);
            return FindSweep(db, tx, name)!;
        });
    }

    /// <summary>The sweep of that name, or null.</summary>
    public SweepRecord? GetSweep(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Run(nameof(GetSweep), write: false, (db, tx) => FindSweep(db, tx, name));
    }

    /// <summary>All sweeps, oldest first.</summary>
    public IReadOnlyList<SweepRecord> Sweeps() => Run(nameof(Sweeps), write: false, (db, tx) =>
        db.Query<SweepRow>($"SELECT {SweepColumns} FROM sweeps ORDER BY sweep_id", transaction: tx)
            .Select(r => r.ToRecord()).ToList());

    /// <summary>Sets the sweep's status (the scheduler's view: running, finished, ...).</summary>
    /// <exception cref="ResultsStoreException">
    /// Finished was asked while a trial of the sweep has not ended (pending, running or paused): whatever the caller
    /// believes, the database is the record, and a sweep is never marked finished with a trial still owed its result.
    /// </exception>
    public void SetSweepStatus(string name, SweepStatus status) => Run(nameof(SetSweepStatus), write: true, (db, tx) =>
    {
        var sweepId = RequireSweepId(db, tx, name);
        if (status == SweepStatus.Finished)
        {
            var open = db.Query<string>("""
                SELECT t.trial_id || ' (' || t.status || ')' FROM sweep_trials st JOIN trials t ON t.trial_id = st.trial_id
                WHERE st.sweep_id = @sweepId AND t.status IN ('pending', 'running', 'paused')
                ORDER BY st.ordinal, t.trial_id
                """, new { sweepId }, tx).ToList();
            if (open.Count > 0)
                throw new ResultsStoreException(
                    $"{Path}: sweep '{name}' cannot be marked finished: {open.Count} of its trials have not ended, e.g. " +
                    $"{string.Join(", ", open.Take(3))}; run it again to finish them");
        }

        return db.Execute("UPDATE sweeps SET status = @status WHERE sweep_id = @sweepId",
            new { status = status.ToDb(), sweepId }, tx);
    });

    /// <summary>
    /// Marks the sweep cancelled and every pending, running or paused trial of it cancelled, in one transaction.
    /// Results that arrive later from attempts already running are then ignored. A trial shared with
    /// another sweep is cancelled there too (it is one trial). A sweep with nothing left to cancel (every trial
    /// ended) keeps its status: cancelling a finished sweep leaves it finished. Returns how many trials were cancelled.
    /// </summary>
    public int CancelSweep(string name) => Run(nameof(CancelSweep), write: true, (db, tx) =>
    {
        var sweepId = RequireSweepId(db, tx, name);
        var cancelled = db.Execute("""
            UPDATE trials SET status = 'cancelled', finished_at = @now
            WHERE status IN ('pending', 'running', 'paused')
              AND trial_id IN (SELECT trial_id FROM sweep_trials WHERE sweep_id = @sweepId)
            """, new { sweepId, now = Now() }, tx);
        if (cancelled > 0) db.Execute("UPDATE sweeps SET status = 'cancelled' WHERE sweep_id = @sweepId", new { sweepId }, tx);
        return cancelled;
    });

    /// <summary>
    /// Makes a cancelled sweep's cancelled trials (and failed ones when <paramref name="retryFailed"/>)
    /// pending again and the sweep running, so <see cref="PendingTrials"/> lists them for resuming.
    /// Finished and diverged trials stay as they are. Returns how many trials were reopened.
    /// </summary>
    public int ReopenSweep(string name, bool retryFailed = false) => Run(nameof(ReopenSweep), write: true, (db, tx) =>
    {
        var sweepId = RequireSweepId(db, tx, name);
        db.Execute("UPDATE sweeps SET status = 'running' WHERE sweep_id = @sweepId", new { sweepId }, tx);
        return db.Execute("""
            UPDATE trials SET status = 'pending', finished_at = NULL, error = NULL
            WHERE (status = 'cancelled' OR (@retryFailed AND status = 'failed'))
              AND trial_id IN (SELECT trial_id FROM sweep_trials WHERE sweep_id = @sweepId)
            """, new { sweepId, retryFailed }, tx);
    });

    private long InsertSweep(IDbConnection db, IDbTransaction tx, string name, string specText, string sha) =>
        db.ExecuteScalar<long>("""
            INSERT INTO sweeps (name, spec_text, spec_sha256, created_at, status) VALUES (@name, @specText, @sha, @now, 'pending')
            RETURNING sweep_id
            """, new { name, specText, sha, now = Now() }, tx);

    private static SweepRecord? FindSweep(IDbConnection db, IDbTransaction tx, string name) =>
        db.QuerySingleOrDefault<SweepRow>($"SELECT {SweepColumns} FROM sweeps WHERE name = @name", new { name }, tx)?.ToRecord();

    private long RequireSweepId(IDbConnection db, IDbTransaction tx, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return db.QuerySingleOrDefault<long?>("SELECT sweep_id FROM sweeps WHERE name = @name", new { name }, tx)
            ?? throw new ResultsStoreException($"{Path}: no sweep named '{name}'");
    }

    internal static string Sha256Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private sealed class SweepRow
    {
        public long SweepId { get; set; }
        public string Name { get; set; } = "";
        public string SpecText { get; set; } = "";
        public string SpecSha256 { get; set; } = "";
        public string CreatedAt { get; set; } = "";
        public string Status { get; set; } = "";

        public SweepRecord ToRecord() => new(SweepId, Name, SpecText, SpecSha256,
            Timestamps.Parse(CreatedAt, $"sweeps.created_at of '{Name}'"), SweepStatusText.Parse(Status));
    }
}
