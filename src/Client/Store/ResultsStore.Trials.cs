using System.Data;
using Dapper;

namespace VaeSweep.Client.Store;

public sealed partial class ResultsStore
{
    private const string TrialColumns = """
        t.trial_id AS TrialId, t.sweep_id AS SweepId, t.ordinal AS Ordinal, t.status AS Status, t.attempts AS Attempts,
        t.host AS Host, t.latent AS Latent, t.sigma AS Sigma, t.beta AS Beta, t.lr AS LearningRate, t.hidden AS Hidden,
        t.activation AS Activation, t.likelihood AS Likelihood, t.epochs AS Epochs, t.batch_size AS BatchSize,
        t.seed AS Seed, t.config_json AS ConfigJson, t.created_at AS CreatedAt, t.started_at AS StartedAt,
        t.finished_at AS FinishedAt, t.seconds AS Seconds, t.error AS Error, t.diverged_epoch AS DivergedEpoch,
        t.engine AS Engine, (SELECT count(*) FROM attempt_starts a WHERE a.trial_id = t.trial_id) AS StartedAttempts
        """;

    // The same columns, but with the trial's position in the sweep being listed.
    private const string SweepTrialColumns = TrialColumns + ", st.ordinal AS SweepOrdinal";

    /// <summary>
    /// Adds trials to the sweep in one transaction; a trial already in the database (same id, from this
    /// or another sweep) is linked, not inserted again, and keeps its status and results. Returns how many
    /// trials were new to the database.
    /// </summary>
    /// <exception cref="ArgumentException">A trial is invalid or an id appears twice in the list.</exception>
    /// <exception cref="ResultsStoreException">No such sweep, or a stored trial of the same id has a different config.</exception>
    public int AddTrials(string sweepName, IEnumerable<NewTrial> trials)
    {
        var list = CheckedTrials(sweepName, trials);
        return Run(nameof(AddTrials), write: true, (db, tx) =>
        {
            var sweepId = RequireSweepId(db, tx, sweepName);
            var version = LatestVersionNumber(db, tx, sweepId);
            var now = Now();
            var added = 0;
            foreach (var t in list)
            {
                if (StoreTrial(db, tx, sweepId, t, now)) added++;
                var linked = db.Execute("""
                    INSERT INTO sweep_trials (sweep_id, trial_id, ordinal) VALUES (@sweepId, @TrialId, @Ordinal)
                    ON CONFLICT (sweep_id, trial_id) DO NOTHING
                    """, new { sweepId, t.TrialId, t.Ordinal }, tx);
                // The sweep's newest version lists what joined it, so history stays whole for callers below run.
                if (linked > 0 && version > 0) RecordChange(db, tx, sweepId, version, t.TrialId, "added", t.Ordinal);
            }
            return added;
        });
    }

    /// <summary>The trials as a list, after checking each and that no id repeats.</summary>
    /// <exception cref="ArgumentException">A trial is invalid or an id appears twice.</exception>
    private static List<NewTrial> CheckedTrials(string sweepName, IEnumerable<NewTrial> trials)
    {
        ArgumentNullException.ThrowIfNull(trials);
        var list = trials.ToList();
        var errors = list.SelectMany(t => t.Validate()).ToList();
        errors.AddRange(list.GroupBy(t => t.TrialId).Where(g => g.Count() > 1)
            .Select(g => $"trial {g.Key}: listed {g.Count()} times"));
        if (errors.Count > 0)
            throw new ArgumentException($"cannot add trials to sweep '{sweepName}': {string.Join("; ", errors)}", nameof(trials));
        return list;
    }

    /// <summary>
    /// Inserts the trial unless a trial of that id is stored already (from any sweep, any time); true when inserted.
    /// </summary>
    /// <exception cref="ResultsStoreException">The stored trial of that id has a different config.</exception>
    private bool StoreTrial(IDbConnection db, IDbTransaction tx, long sweepId, NewTrial t, string now)
    {
        var storedJson = db.QuerySingleOrDefault<string>(
            "SELECT config_json FROM trials WHERE trial_id = @TrialId", new { t.TrialId }, tx);
        if (storedJson is null)
        {
            db.Execute("""
                INSERT INTO trials (trial_id, sweep_id, ordinal, status, attempts, latent, sigma, beta, lr, hidden,
                                    activation, likelihood, epochs, batch_size, seed, config_json, created_at)
                VALUES (@TrialId, @sweepId, @Ordinal, 'pending', 0, @Latent, @Sigma, @Beta, @LearningRate, @Hidden,
                        @Activation, @Likelihood, @Epochs, @BatchSize, @Seed, @ConfigJson, @now)
                """, new
            {
                t.TrialId, sweepId, t.Ordinal, t.Latent, t.Sigma, t.Beta, t.LearningRate, t.Hidden,
                t.Activation, t.Likelihood, t.Epochs, t.BatchSize, t.Seed, t.ConfigJson, now,
            }, tx);
            return true;
        }
        if (storedJson != t.ConfigJson)
            throw new ResultsStoreException(
                $"{Path}: trial {t.TrialId} is already stored with a different config; the trial id must be " +
                "the hash of the fully-resolved config, so this is a hashing bug or a corrupted database");
        return false;
    }

    /// <summary>Every trial of the sweep, in sweep order, with <see cref="TrialRecord.Ordinal"/> its place in this sweep.</summary>
    public IReadOnlyList<TrialRecord> TrialsOf(string sweepName) => Run(nameof(TrialsOf), write: false, (db, tx) =>
    {
        var sweepId = RequireSweepId(db, tx, sweepName);
        return db.Query<TrialRow>($"""
            SELECT {SweepTrialColumns} FROM sweep_trials st JOIN trials t ON t.trial_id = st.trial_id
            WHERE st.sweep_id = @sweepId ORDER BY st.ordinal, t.trial_id
            """, new { sweepId }, tx).Select(r => r.ToRecord()).ToList();
    });

    /// <summary>
    /// The sweep's trials still to run, in sweep order: pending ones, running ones (whose attempt was
    /// interrupted, e.g. by a client crash) and paused ones (waiting at an early-stopping rung), plus failed ones when <paramref name="includeFailed"/>.
    /// Finished, pruned and diverged trials never appear; cancelled ones appear after <see cref="ReopenSweep"/>.
    /// </summary>
    public IReadOnlyList<TrialRecord> PendingTrials(string sweepName, bool includeFailed = false) =>
        Run(nameof(PendingTrials), write: false, (db, tx) =>
        {
            var sweepId = RequireSweepId(db, tx, sweepName);
            return db.Query<TrialRow>($"""
                SELECT {SweepTrialColumns} FROM sweep_trials st JOIN trials t ON t.trial_id = st.trial_id
                WHERE st.sweep_id = @sweepId
                  AND (t.status IN ('pending', 'running', 'paused') OR (@includeFailed AND t.status = 'failed'))
                ORDER BY st.ordinal, t.trial_id
                """, new { sweepId, includeFailed }, tx).Select(r => r.ToRecord()).ToList();
        });

    /// <summary>The trial whose id is, or starts with, <paramref name="idPrefix"/> (case-insensitive).</summary>
    /// <exception cref="ResultsStoreException">No trial matches, or several do (they are listed).</exception>
    public TrialRecord GetTrial(string idPrefix)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(idPrefix);
        var prefix = idPrefix.Trim().ToLowerInvariant();
        return Run(nameof(GetTrial), write: false, (db, tx) =>
        {
            var exact = db.QuerySingleOrDefault<TrialRow>(
                $"SELECT {TrialColumns} FROM trials t WHERE lower(t.trial_id) = @prefix", new { prefix }, tx);
            if (exact is not null) return exact.ToRecord();
            // substr rather than LIKE, so '%' and '_' in what the user typed are not wildcards.
            var matches = db.Query<TrialRow>($"""
                SELECT {TrialColumns} FROM trials t WHERE lower(substr(t.trial_id, 1, @length)) = @prefix
                ORDER BY t.trial_id LIMIT 6
                """, new { prefix, length = prefix.Length }, tx).ToList();
            return matches.Count switch
            {
                0 => throw new ResultsStoreException($"{Path}: no trial id starts with '{idPrefix}'"),
                1 => matches[0].ToRecord(),
                _ => throw new ResultsStoreException(
                    $"{Path}: trial id prefix '{idPrefix}' is ambiguous; it matches " +
                    string.Join(", ", matches.Take(5).Select(m => m.TrialId)) +
                    (matches.Count > 5 ? " and more" : "") + "; type more of the id"),
            };
        });
    }

    /// <summary>
    /// Starts a new attempt at the trial on <paramref name="host"/>: status running, attempts + 1, started
    /// now. Returns the new attempt number, which every later write for this attempt must carry; any
    /// older attempt still reporting is ignored from here on.
    /// </summary>
    /// <exception cref="ResultsStoreException">No such trial, or it is finished, diverged or cancelled.</exception>
    public int BeginAttempt(string trialId, string host)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(trialId);
        ArgumentNullException.ThrowIfNull(host);
        return Run(nameof(BeginAttempt), write: true, (db, tx) =>
        {
            var (status, attempts) = RequireTrialState(db, tx, trialId);
            if (status is TrialStatus.Finished or TrialStatus.Pruned or TrialStatus.Diverged or TrialStatus.Cancelled)
                throw new ResultsStoreException(
                    $"{Path}: trial {trialId} is {status.ToDb()}; only pending, running, paused or failed trials can be started" +
                    (status == TrialStatus.Cancelled ? " (reopen its sweep to run it again)" : ""));
            var attempt = attempts + 1;
            db.Execute("""
                UPDATE trials SET status = 'running', attempts = @attempt, host = @host, started_at = @now,
                                  finished_at = NULL, seconds = NULL, error = NULL
                WHERE trial_id = @trialId
                """, new { attempt, host, now = Now(), trialId }, tx);
            return attempt;
        });
    }

    /// <summary>
    /// Records that the worker actually started <paramref name="attempt"/> on <paramref name="host"/> (the attempt
    /// may have waited in a queue since <see cref="BeginAttempt"/>). Every begun attempt's start is counted once in
    /// attempt_starts, a stale one's too (it did run, if only until cancelled), so <see cref="TrialRecord.StartedAttempts"/>
    /// says how often the trial was really taken up. For the current attempt of a running trial it also sets host and
    /// started_at, and adds <paramref name="engine"/> to the trial's engines unless it is listed already or null; for
    /// any other it returns false, changing nothing else.
    /// </summary>
    public bool MarkStarted(string trialId, int attempt, string host, string? engine = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(trialId);
        ArgumentNullException.ThrowIfNull(host);
        return Run(nameof(MarkStarted), write: true, (db, tx) =>
        {
            var current = IsCurrentAttempt(db, tx, trialId, attempt);
            var now = Now();
            db.Execute("""
                INSERT INTO attempt_starts (trial_id, attempt, host, started_at) VALUES (@trialId, @attempt, @host, @now)
                ON CONFLICT (trial_id, attempt) DO NOTHING
                """, new { trialId, attempt, host, now }, tx);
            if (!current) return false;
            db.Execute("""
                UPDATE trials SET host = @host, started_at = @now,
                    engine = CASE
                        WHEN @engine IS NULL OR instr(' + ' || engine || ' + ', ' + ' || @engine || ' + ') > 0 THEN engine
                        WHEN engine IS NULL THEN @engine
                        ELSE engine || ' + ' || @engine
                    END
                WHERE trial_id = @trialId
                """, new { trialId, host, engine, now }, tx);
            return true;
        });
    }

    /// <summary>
    /// Records that the current attempt failed and will be given out again (the trial stays running, its
    /// error shows the latest failure; use <see cref="FailTrial"/> to give up for good). Idempotent per
    /// attempt; a stale attempt or a trial no longer running records nothing. Returns how many attempts
    /// of the trial have failed so far (since it was last retried, see <see cref="RetryTrials"/>).
    /// </summary>
    public int RecordFailure(string trialId, int attempt, string error)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(trialId);
        ArgumentNullException.ThrowIfNull(error);
        return Run(nameof(RecordFailure), write: true, (db, tx) =>
        {
            if (IsCurrentAttempt(db, tx, trialId, attempt))
            {
                var now = Now();
                db.Execute("""
                    INSERT INTO attempt_failures (trial_id, attempt, error, failed_at) VALUES (@trialId, @attempt, @error, @now)
                    ON CONFLICT (trial_id, attempt) DO NOTHING
                    """, new { trialId, attempt, error, now }, tx);
                db.Execute("UPDATE trials SET error = @message WHERE trial_id = @trialId",
                    new { trialId, message = $"attempt {attempt} failed: {error}" }, tx);
            }
            return db.ExecuteScalar<int>("""
                SELECT count(*) FROM attempt_failures f JOIN trials t ON t.trial_id = f.trial_id
                WHERE f.trial_id = @trialId AND f.attempt > t.retried_after
                """, new { trialId }, tx);
        });
    }

    /// <summary>
    /// How many attempts of each of the sweep's trials have failed since it was last retried (as <see cref="RecordFailure"/>
    /// counts them); trials without a failure are left out.
    /// </summary>
    public IReadOnlyDictionary<string, int> FailureCounts(string sweepName) => Run(nameof(FailureCounts), write: false, (db, tx) =>
    {
        var sweepId = RequireSweepId(db, tx, sweepName);
        return (IReadOnlyDictionary<string, int>)db.Query<(string TrialId, long Failures)>("""
            SELECT f.trial_id, count(*) FROM attempt_failures f JOIN trials t ON t.trial_id = f.trial_id
            WHERE f.trial_id IN (SELECT trial_id FROM sweep_trials WHERE sweep_id = @sweepId) AND f.attempt > t.retried_after
            GROUP BY f.trial_id
            """, new { sweepId }, tx).ToDictionary(r => r.TrialId, r => (int)r.Failures, StringComparer.Ordinal);
    });

    private (TrialStatus Status, int Attempts) RequireTrialState(IDbConnection db, IDbTransaction tx, string trialId)
    {
        var row = db.QuerySingleOrDefault<StateRow>(
            "SELECT status AS Status, attempts AS Attempts FROM trials WHERE trial_id = @trialId", new { trialId }, tx)
            ?? throw new ResultsStoreException($"{Path}: no trial with id {trialId}");
        return (TrialStatusText.Parse(row.Status), (int)row.Attempts);
    }

    /// <summary>
    /// Whether a write from <paramref name="attempt"/> may change the trial: only the current attempt of
    /// a running trial may. Older attempts and settled trials get false (ignored, e.g. a re-delivery);
    /// an attempt never begun is a caller bug and throws.
    /// </summary>
    private bool IsCurrentAttempt(IDbConnection db, IDbTransaction tx, string trialId, int attempt)
    {
        if (attempt < 1) throw new ArgumentOutOfRangeException(nameof(attempt), attempt, $"trial {trialId}: attempts count from 1");
        var (status, attempts) = RequireTrialState(db, tx, trialId);
        if (attempt > attempts)
            throw new ArgumentOutOfRangeException(nameof(attempt), attempt,
                $"trial {trialId}: attempt {attempt} was never begun (the latest is {attempts}); call BeginAttempt first");
        return attempt == attempts && status == TrialStatus.Running;
    }

    private sealed class StateRow
    {
        public string Status { get; set; } = "";
        public long Attempts { get; set; }
    }

    private sealed class TrialRow
    {
        public string TrialId { get; set; } = "";
        public long SweepId { get; set; }
        public long Ordinal { get; set; }
        public long? SweepOrdinal { get; set; }
        public string Status { get; set; } = "";
        public long Attempts { get; set; }
        public string? Host { get; set; }
        public long Latent { get; set; }
        public double Sigma { get; set; }
        public double Beta { get; set; }
        public double LearningRate { get; set; }
        public string Hidden { get; set; } = "";
        public string Activation { get; set; } = "";
        public string Likelihood { get; set; } = "";
        public long Epochs { get; set; }
        public long BatchSize { get; set; }
        public long Seed { get; set; }
        public string ConfigJson { get; set; } = "";
        public string CreatedAt { get; set; } = "";
        public string? StartedAt { get; set; }
        public string? FinishedAt { get; set; }
        public double? Seconds { get; set; }
        public string? Error { get; set; }
        public long? DivergedEpoch { get; set; }
        public string? Engine { get; set; }
        public long StartedAttempts { get; set; }

        public TrialRecord ToRecord()
        {
            var where = $"trial {TrialId}";
            return new TrialRecord(
                TrialId, SweepId, (int)(SweepOrdinal ?? Ordinal), TrialStatusText.Parse(Status), (int)Attempts, Host,
                (int)Latent, Sigma, Beta, LearningRate, Hidden, Activation, Likelihood, (int)Epochs, (int)BatchSize,
                (int)Seed, ConfigJson,
                Timestamps.Parse(CreatedAt, $"{where}: created_at"),
                Timestamps.ParseOptional(StartedAt, $"{where}: started_at"),
                Timestamps.ParseOptional(FinishedAt, $"{where}: finished_at"),
                Seconds, Error, (int?)DivergedEpoch, Engine, (int)StartedAttempts);
        }
    }
}
