using System.Data;
using Dapper;
using VaeSweep.Model;
using VaeSweep.Model.Evaluation;

namespace VaeSweep.Client.Store;

public sealed partial class ResultsStore
{
    private const string EpochColumns = """
        trial_id AS TrialId, epoch AS Epoch, attempt AS Attempt, train_objective AS TrainObjective,
        train_elbo AS TrainElbo, train_kl AS TrainKl, train_recon AS TrainRecon, valid_elbo AS ValidElbo,
        valid_kl AS ValidKl, valid_recon AS ValidRecon, seconds AS Seconds, samples_per_sec AS SamplesPerSec
        """;

    private const string EvaluationColumns = """
        trial_id AS TrialId, split AS Split, attempt AS Attempt, k AS K, n AS N, mean AS Mean, se AS Se,
        mean_elbo AS MeanElbo, per_example AS PerExample, active_threshold AS ActiveThreshold,
        active_units AS ActiveUnits, rate AS Rate, distortion AS Distortion
        """;

    private const string DimensionColumns = "trial_id AS TrialId, split AS Split, dim AS Dim, kl AS Kl, activity AS Activity";

    /// <summary>
    /// Stores one epoch of the trial's current attempt, replacing that epoch if an earlier attempt (or a
    /// re-delivery) wrote it. Returns false, changing nothing, when the attempt is not the trial's current
    /// one or the trial is no longer running.
    /// </summary>
    public bool RecordEpoch(string trialId, int attempt, EpochMetrics metrics)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(trialId);
        ArgumentNullException.ThrowIfNull(metrics);
        if (metrics.Epoch < 1)
            throw new ArgumentOutOfRangeException(nameof(metrics), metrics.Epoch, $"trial {trialId}: epochs count from 1");
        return Run(nameof(RecordEpoch), write: true, (db, tx) =>
        {
            if (!IsCurrentAttempt(db, tx, trialId, attempt)) return false;
            db.Execute("""
                INSERT INTO epochs (trial_id, epoch, attempt, train_objective, train_elbo, train_kl, train_recon,
                                    valid_elbo, valid_kl, valid_recon, seconds, samples_per_sec)
                VALUES (@trialId, @Epoch, @attempt, @TrainObjective, @TrainElbo, @TrainKl, @TrainRecon,
                        @ValidationElbo, @ValidationKl, @ValidationRecon, @WallSeconds, @SamplesPerSecond)
                ON CONFLICT (trial_id, epoch) DO UPDATE SET
                    attempt = excluded.attempt, train_objective = excluded.train_objective,
                    train_elbo = excluded.train_elbo, train_kl = excluded.train_kl, train_recon = excluded.train_recon,
                    valid_elbo = excluded.valid_elbo, valid_kl = excluded.valid_kl, valid_recon = excluded.valid_recon,
                    seconds = excluded.seconds, samples_per_sec = excluded.samples_per_sec
                """, new
            {
                trialId, attempt, metrics.Epoch, TrainObjective = Real(metrics.TrainObjective),
                TrainElbo = Real(metrics.TrainElbo), TrainKl = Real(metrics.TrainKl), TrainRecon = Real(metrics.TrainRecon),
                ValidationElbo = Real(metrics.ValidationElbo), ValidationKl = Real(metrics.ValidationKl),
                ValidationRecon = Real(metrics.ValidationRecon), WallSeconds = Real(metrics.WallSeconds),
                SamplesPerSecond = Real(metrics.SamplesPerSecond),
            }, tx);
            return true;
        });
    }

    /// <summary>
    /// Keeps <paramref name="bytes"/> as the trial's latest checkpoint (after <paramref name="epoch"/> epochs),
    /// with its SHA-256. Returns false, changing nothing, for a stale attempt, a trial no longer running,
    /// or a checkpoint older than the one this attempt already saved (an out-of-order re-delivery).
    /// </summary>
    public bool SaveCheckpoint(string trialId, int attempt, int epoch, byte[] bytes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(trialId);
        ArgumentNullException.ThrowIfNull(bytes);
        if (epoch < 0) throw new ArgumentOutOfRangeException(nameof(epoch), epoch, $"trial {trialId}: checkpoint epoch must be 0 or more");
        var sha = Sha256Hex(bytes);
        return Run(nameof(SaveCheckpoint), write: true, (db, tx) =>
        {
            if (!IsCurrentAttempt(db, tx, trialId, attempt)) return false;
            var changed = db.Execute("""
                INSERT INTO checkpoints (trial_id, epoch, attempt, bytes, sha256, created_at)
                VALUES (@trialId, @epoch, @attempt, @bytes, @sha, @now)
                ON CONFLICT (trial_id) DO UPDATE SET
                    epoch = excluded.epoch, attempt = excluded.attempt, bytes = excluded.bytes,
                    sha256 = excluded.sha256, created_at = excluded.created_at
                WHERE excluded.attempt > checkpoints.attempt
                   OR (excluded.attempt = checkpoints.attempt AND excluded.epoch >= checkpoints.epoch)
                """, new { trialId, epoch, attempt, bytes, sha, now = Now() }, tx);
            return changed > 0;
        });
    }

    /// <summary>The trial's latest checkpoint, or null when it has none.</summary>
    /// <exception cref="ResultsStoreException">The stored bytes do not match their SHA-256.</exception>
    public CheckpointRecord? LatestCheckpoint(string trialId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(trialId);
        var row = Run(nameof(LatestCheckpoint), write: false, (db, tx) => db.QuerySingleOrDefault<CheckpointRow>("""
            SELECT trial_id AS TrialId, epoch AS Epoch, attempt AS Attempt, bytes AS Bytes, sha256 AS Sha256, created_at AS CreatedAt
            FROM checkpoints WHERE trial_id = @trialId
            """, new { trialId }, tx));
        if (row is null) return null;
        var actual = Sha256Hex(row.Bytes);
        if (actual != row.Sha256)
            throw new ResultsStoreException(
                $"{Path}: checkpoint of trial {trialId} (epoch {row.Epoch}) is corrupt: sha256 {actual} does not match the stored {row.Sha256}");
        return new CheckpointRecord(row.TrialId, (int)row.Epoch, (int)row.Attempt, row.Bytes, row.Sha256,
            Timestamps.Parse(row.CreatedAt, $"checkpoint of trial {trialId}: created_at"));
    }

    /// <summary>
    /// The finished trial's final weights (its last checkpoint, kept when it finished), or null when none
    /// were kept (not finished, finished before schema 4, or no checkpoint reached the client).
    /// </summary>
    /// <exception cref="ResultsStoreException">The stored bytes do not match their SHA-256.</exception>
    public FinalWeightsRecord? FinalWeights(string trialId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(trialId);
        var row = Run(nameof(FinalWeights), write: false, (db, tx) => db.QuerySingleOrDefault<CheckpointRow>("""
            SELECT trial_id AS TrialId, epoch AS Epoch, bytes AS Bytes, sha256 AS Sha256, created_at AS CreatedAt
            FROM trial_weights WHERE trial_id = @trialId
            """, new { trialId }, tx));
        if (row is null) return null;
        var actual = Sha256Hex(row.Bytes);
        if (actual != row.Sha256)
            throw new ResultsStoreException(
                $"{Path}: final weights of trial {trialId} (epoch {row.Epoch}) are corrupt: sha256 {actual} does not match the stored {row.Sha256}");
        return new FinalWeightsRecord(row.TrialId, (int)row.Epoch, row.Bytes, row.Sha256,
            Timestamps.Parse(row.CreatedAt, $"final weights of trial {trialId}: created_at"));
    }

    /// <summary>
    /// Records the trial's outcome in one transaction: both held-out estimates, status finished, training
    /// seconds and finish time, and the weights of its last checkpoint as its final weights. Readers see all of it or none. Returns false, changing nothing, for a stale
    /// attempt or a trial not running (finishing twice is harmless).
    /// </summary>
    /// <exception cref="ArgumentException">An estimate is for the wrong split or its per-example values do not match its example count.</exception>
    public bool FinishTrial(string trialId, int attempt, LogLikelihoodEstimate validation, LogLikelihoodEstimate test, double seconds)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(trialId);
        CheckEstimate(trialId, validation, "validation", nameof(validation));
        CheckEstimate(trialId, test, "test", nameof(test));
        if (!(seconds >= 0) || double.IsInfinity(seconds))
            throw new ArgumentOutOfRangeException(nameof(seconds), seconds, $"trial {trialId}: seconds must be a finite number, 0 or more");
        return Run(nameof(FinishTrial), write: true, (db, tx) =>
        {
            if (!IsCurrentAttempt(db, tx, trialId, attempt)) return false;
            StoreEstimates(db, tx, trialId, attempt, validation, test);
            db.Execute("""
                UPDATE trials SET status = 'finished', seconds = @seconds, finished_at = @now, error = NULL
                WHERE trial_id = @trialId
                """, new { trialId, seconds, now = Now() }, tx);
            KeepFinalWeights(db, tx, trialId);
            DropSettledCheckpoint(db, tx, trialId);
            return true;
        });
    }

    /// <summary>
    /// Marks the trial failed (an exception, a lost worker) with <paramref name="error"/>. The checkpoint is
    /// kept so a retry can resume. Returns false, changing nothing, for a stale attempt or a trial not running.
    /// </summary>
    public bool FailTrial(string trialId, int attempt, string error)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(trialId);
        ArgumentNullException.ThrowIfNull(error);
        return Run(nameof(FailTrial), write: true, (db, tx) =>
        {
            if (!IsCurrentAttempt(db, tx, trialId, attempt)) return false;
            db.Execute("""
                UPDATE trials SET status = 'failed', error = @error, finished_at = @now,
                    seconds = (julianday(@now) - julianday(started_at)) * 86400.0
                WHERE trial_id = @trialId
                """, new { trialId, error, now = Now() }, tx);
            return true;
        });
    }

    /// <summary>
    /// Marks the trial diverged at <paramref name="epoch"/> (a non-finite loss): a result, not an error, so it
    /// is never retried unless asked (<see cref="RetryTrials"/>). Returns false, changing nothing, for a stale attempt or a trial not running.
    /// </summary>
    public bool MarkDiverged(string trialId, int attempt, int epoch, string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(trialId);
        ArgumentNullException.ThrowIfNull(reason);
        if (epoch < 1) throw new ArgumentOutOfRangeException(nameof(epoch), epoch, $"trial {trialId}: epochs count from 1");
        return Run(nameof(MarkDiverged), write: true, (db, tx) =>
        {
            if (!IsCurrentAttempt(db, tx, trialId, attempt)) return false;
            db.Execute("""
                UPDATE trials SET status = 'diverged', diverged_epoch = @epoch, error = @reason, finished_at = @now,
                    seconds = (julianday(@now) - julianday(started_at)) * 86400.0
                WHERE trial_id = @trialId
                """, new { trialId, epoch, reason, now = Now() }, tx);
            DropSettledCheckpoint(db, tx, trialId);
            return true;
        });
    }

    /// <summary>The trial's recorded epochs in order.</summary>
    public IReadOnlyList<EpochRecord> EpochsOf(string trialId) => Run(nameof(EpochsOf), write: false, (db, tx) =>
        db.Query<EpochRow>($"SELECT {EpochColumns} FROM epochs WHERE trial_id = @trialId ORDER BY epoch",
            new { trialId }, tx).Select(r => r.ToRecord()).ToList());

    /// <summary>The trial's held-out estimate on <paramref name="split"/>, or null before it finished.</summary>
    public EvaluationRecord? GetEvaluation(string trialId, Split split) => Run(nameof(GetEvaluation), write: false, (db, tx) =>
    {
        var row = db.QuerySingleOrDefault<EvaluationRow>(
            $"SELECT {EvaluationColumns} FROM evaluations WHERE trial_id = @trialId AND split = @split",
            new { trialId, split = SplitName(split) }, tx);
        var dimensions = db.Query<DimensionRow>(
            $"SELECT {DimensionColumns} FROM latent_dimensions WHERE trial_id = @trialId AND split = @split ORDER BY dim",
            new { trialId, split = SplitName(split) }, tx).ToList();
        return row?.ToRecord(dimensions);
    });

    /// <summary>
    /// Every trial of the sweep with its estimates and last epoch, read in one snapshot (ranking's input).
    /// </summary>
    public IReadOnlyList<TrialResult> ResultsOf(string sweepName) => Run(nameof(ResultsOf), write: false, (db, tx) =>
    {
        var sweepId = RequireSweepId(db, tx, sweepName);
        var trials = db.Query<TrialRow>($"""
            SELECT {SweepTrialColumns} FROM sweep_trials st JOIN trials t ON t.trial_id = st.trial_id
            WHERE st.sweep_id = @sweepId ORDER BY st.ordinal, t.trial_id
            """, new { sweepId }, tx).Select(r => r.ToRecord()).ToList();
        var evaluations = db.Query<EvaluationRow>($"""
            SELECT {EvaluationColumns} FROM evaluations
            WHERE trial_id IN (SELECT trial_id FROM sweep_trials WHERE sweep_id = @sweepId)
            """, new { sweepId }, tx).ToLookup(e => (e.TrialId, e.Split));
        var dimensions = db.Query<DimensionRow>($"""
            SELECT {DimensionColumns} FROM latent_dimensions
            WHERE trial_id IN (SELECT trial_id FROM sweep_trials WHERE sweep_id = @sweepId) ORDER BY trial_id, split, dim
            """, new { sweepId }, tx).ToLookup(d => (d.TrialId, d.Split));
        var lastEpochs = db.Query<EpochRow>($"""
            SELECT {EpochColumns} FROM epochs e
            WHERE trial_id IN (SELECT trial_id FROM sweep_trials WHERE sweep_id = @sweepId)
              AND epoch = (SELECT max(epoch) FROM epochs WHERE trial_id = e.trial_id)
            """, new { sweepId }, tx).ToDictionary(e => e.TrialId);
        return trials.Select(t => new TrialResult(
            sweepName,
            t,
            evaluations[(t.TrialId, "validation")].SingleOrDefault()?.ToRecord([.. dimensions[(t.TrialId, "validation")]]).Estimate,
            evaluations[(t.TrialId, "test")].SingleOrDefault()?.ToRecord([.. dimensions[(t.TrialId, "test")]]).Estimate,
            lastEpochs.TryGetValue(t.TrialId, out var e) ? e.ToRecord().Metrics : null)).ToList();
    });

    // SQLite has no NaN (it would store NULL) and Microsoft.Data.Sqlite refuses to bind one; store NULL
    // explicitly and read NULL back as NaN.
    private static double? Real(double value) => double.IsNaN(value) ? null : value;

    // The last checkpoint is the finished model; a diverged one's is from before the fault, so only finishing keeps it.
    // This engine's checkpoints keep their weights only (a third: no Adam moments); other engines' bytes stay as they are.
    private static void StoreEstimates(
        IDbConnection db, IDbTransaction tx, string trialId, int attempt, LogLikelihoodEstimate validation, LogLikelihoodEstimate test)
    {
        foreach (var estimate in new[] { validation, test })
        {
            db.Execute("""
                INSERT INTO evaluations (trial_id, split, attempt, k, n, mean, se, mean_elbo, per_example)
                VALUES (@trialId, @Split, @attempt, @ImportanceSamples, @Examples, @Mean, @StandardError, @MeanElbo, @perExample)
                ON CONFLICT (trial_id, split) DO UPDATE SET
                    attempt = excluded.attempt, k = excluded.k, n = excluded.n, mean = excluded.mean, se = excluded.se,
                    mean_elbo = excluded.mean_elbo, per_example = excluded.per_example
                """, new
            {
                trialId, estimate.Split, attempt, estimate.ImportanceSamples, estimate.Examples, Mean = Real(estimate.Mean),
                StandardError = Real(estimate.StandardError), MeanElbo = Real(estimate.MeanElbo),
                perExample = PerExampleCodec.Encode(estimate.PerExample),
            }, tx);
            StoreLatentStatistics(db, tx, trialId, estimate);
        }
    }

    // A re-delivered or later attempt replaces the statistics whole, dimensions included; an estimate without them clears them.
    private static void StoreLatentStatistics(IDbConnection db, IDbTransaction tx, string trialId, LogLikelihoodEstimate estimate)
    {
        var latent = estimate.Latent;
        db.Execute("""
            UPDATE evaluations SET active_threshold = @threshold, active_units = @units, rate = @rate, distortion = @distortion
            WHERE trial_id = @trialId AND split = @Split
            """, new
        {
            trialId, estimate.Split, threshold = latent?.ActiveThreshold, units = latent?.ActiveUnits,
            rate = latent is null ? null : Real(latent.Rate), distortion = latent is null ? null : Real(latent.Distortion),
        }, tx);
        db.Execute("DELETE FROM latent_dimensions WHERE trial_id = @trialId AND split = @Split", new { trialId, estimate.Split }, tx);
        if (latent is null) return;
        db.Execute("""
            INSERT INTO latent_dimensions (trial_id, split, dim, kl, activity) VALUES (@trialId, @split, @dim, @kl, @activity)
            """, Enumerable.Range(0, latent.LatentSize).Select(u => new
        {
            trialId, split = estimate.Split, dim = u, kl = Real(latent.KlPerDimension[u]), activity = Real(latent.Activity[u]),
        }), tx);
    }

    private void KeepFinalWeights(IDbConnection db, IDbTransaction tx, string trialId)
    {
        var last = db.QuerySingleOrDefault<CheckpointRow>(
            "SELECT trial_id AS TrialId, epoch AS Epoch, bytes AS Bytes FROM checkpoints WHERE trial_id = @trialId", new { trialId }, tx);
        if (last is null) return;
        var bytes = last.Bytes;
        if (TrainedVae.IsNativeCheckpoint(bytes))
        {
            try
            {
                bytes = TrainedVae.WeightsOnly(bytes);
            }
            catch (CheckpointException)
            {
                // A damaged checkpoint is kept as it came; the report names the damage when it tries to load it.
            }
        }
        db.Execute("""
            INSERT INTO trial_weights (trial_id, epoch, bytes, sha256, created_at) VALUES (@trialId, @Epoch, @bytes, @sha, @now)
            ON CONFLICT (trial_id) DO UPDATE SET
                epoch = excluded.epoch, bytes = excluded.bytes, sha256 = excluded.sha256, created_at = excluded.created_at
            """, new { trialId, last.Epoch, bytes, sha = Sha256Hex(bytes), now = Now() }, tx);
    }

    private void DropSettledCheckpoint(IDbConnection db, IDbTransaction tx, string trialId)
    {
        if (!_options.KeepCheckpointsAfterFinish)
            db.Execute("DELETE FROM checkpoints WHERE trial_id = @trialId", new { trialId }, tx);
    }

    private static void CheckEstimate(string trialId, LogLikelihoodEstimate estimate, string split, string parameter)
    {
        ArgumentNullException.ThrowIfNull(estimate, parameter);
        if (estimate.Split != split)
            throw new ArgumentException($"trial {trialId}: the {split} estimate says split '{estimate.Split}'", parameter);
        if (estimate.PerExample is null || estimate.PerExample.Length != estimate.Examples)
            throw new ArgumentException(
                $"trial {trialId}: the {split} estimate covers {estimate.Examples} examples but has " +
                $"{estimate.PerExample?.Length ?? 0} per-example values", parameter);
        if (estimate.Latent is { } latent && (latent.Activity is null || latent.KlPerDimension is null || latent.Activity.Length != latent.KlPerDimension.Length))
            throw new ArgumentException(
                $"trial {trialId}: the {split} estimate's latent statistics have {latent.Activity?.Length ?? 0} activities " +
                $"but {latent.KlPerDimension?.Length ?? 0} KL values", parameter);
    }

    private static string SplitName(Split split) => split switch
    {
        Split.Validation => "validation",
        Split.Test => "test",
        _ => throw new ArgumentOutOfRangeException(nameof(split), split, "unknown split"),
    };

    private sealed class EpochRow
    {
        public string TrialId { get; set; } = "";
        public long Epoch { get; set; }
        public long Attempt { get; set; }
        public double? TrainObjective { get; set; }
        public double? TrainElbo { get; set; }
        public double? TrainKl { get; set; }
        public double? TrainRecon { get; set; }
        public double? ValidElbo { get; set; }
        public double? ValidKl { get; set; }
        public double? ValidRecon { get; set; }
        public double? Seconds { get; set; }
        public double? SamplesPerSec { get; set; }

        // SQLite turns NaN into NULL on the way in; NaN is what it was.
        public EpochRecord ToRecord() => new(TrialId, (int)Attempt, new EpochMetrics(
            (int)Epoch, TrainObjective ?? double.NaN, TrainElbo ?? double.NaN, TrainKl ?? double.NaN,
            TrainRecon ?? double.NaN, ValidElbo ?? double.NaN, ValidKl ?? double.NaN, ValidRecon ?? double.NaN,
            Seconds ?? double.NaN, SamplesPerSec ?? double.NaN));
    }

    private sealed class EvaluationRow
    {
        public string TrialId { get; set; } = "";
        public string Split { get; set; } = "";
        public long Attempt { get; set; }
        public long K { get; set; }
        public long N { get; set; }
        public double? Mean { get; set; }
        public double? Se { get; set; }
        public double? MeanElbo { get; set; }
        public byte[]? PerExample { get; set; }
        public double? ActiveThreshold { get; set; }
        public long? ActiveUnits { get; set; }
        public double? Rate { get; set; }
        public double? Distortion { get; set; }

        public EvaluationRecord ToRecord(IReadOnlyList<DimensionRow> dimensions) => new(TrialId, (int)Attempt, new LogLikelihoodEstimate(
            Split, (int)K, (int)N, Mean ?? double.NaN, Se ?? double.NaN, MeanElbo ?? double.NaN,
            PerExampleCodec.Decode(PerExample, $"evaluation of trial {TrialId} on {Split}"), Latent(dimensions)));

        // Estimates stored before schema 8 have no statistics (threshold NULL); NULL rate or distortion was a NaN.
        private LatentStatistics? Latent(IReadOnlyList<DimensionRow> dimensions) => ActiveThreshold is not { } threshold
            ? null
            : new LatentStatistics(threshold, (int)(ActiveUnits ?? 0), [.. dimensions.Select(d => d.Activity ?? double.NaN)],
                [.. dimensions.Select(d => d.Kl ?? double.NaN)], Rate ?? double.NaN, Distortion ?? double.NaN);
    }

    private sealed class DimensionRow
    {
        public string TrialId { get; set; } = "";
        public string Split { get; set; } = "";
        public long Dim { get; set; }
        public double? Kl { get; set; }
        public double? Activity { get; set; }
    }

    private sealed class CheckpointRow
    {
        public string TrialId { get; set; } = "";
        public long Epoch { get; set; }
        public long Attempt { get; set; }
        public byte[] Bytes { get; set; } = [];
        public string Sha256 { get; set; } = "";
        public string CreatedAt { get; set; } = "";
    }
}
