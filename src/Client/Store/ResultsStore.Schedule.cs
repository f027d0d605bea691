using System.Data;
using Dapper;
using VaeSweep.Model;

namespace VaeSweep.Client.Store;

/// <summary>Early stopping: pausing at rungs, the decisions made there, and evaluating pruned trials.</summary>
public sealed partial class ResultsStore
{
    /// <summary>
    /// The current attempt stopped at rung <paramref name="epoch"/> to wait for a decision: status paused. Returns
    /// false, changing nothing, for a stale attempt or a trial no longer running.
    /// </summary>
    public bool PauseTrial(string trialId, int attempt, int epoch)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(trialId);
        if (epoch < 1) throw new ArgumentOutOfRangeException(nameof(epoch), epoch, $"trial {trialId}: rungs count from epoch 1");
        return Run(nameof(PauseTrial), write: true, (db, tx) =>
        {
            if (!IsCurrentAttempt(db, tx, trialId, attempt)) return false;
            db.Execute("UPDATE trials SET status = 'paused' WHERE trial_id = @trialId", new { trialId }, tx);
            return true;
        });
    }

    /// <summary>
    /// Stores the decision, once: a second decision for the same trial and rung is ignored (false). A prune also
    /// ends the trial (status pruned, finish time now) in the same transaction, drops any epoch past the rung
    /// (trained only when a client died before deciding) and, unless <paramref name="keepCheckpoint"/> (it is to
    /// be evaluated), its checkpoint.
    /// </summary>
    /// <exception cref="ResultsStoreException">No such sweep or trial, or the trial has already ended otherwise.</exception>
    public bool RecordDecision(string sweepName, RungDecision decision, bool keepCheckpoint = false)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentException.ThrowIfNullOrWhiteSpace(decision.TrialId);
        if (decision.Rung < 1)
            throw new ArgumentOutOfRangeException(nameof(decision), decision.Rung, $"trial {decision.TrialId}: rungs count from epoch 1");
        return Run(nameof(RecordDecision), write: true, (db, tx) =>
        {
            var sweepId = RequireSweepId(db, tx, sweepName);
            var (status, _) = RequireTrialState(db, tx, decision.TrialId);
            var verdict = decision.Verdict == RungVerdict.Prune ? "prune" : "continue";
            var added = db.Execute("""
                INSERT INTO rung_decisions (trial_id, rung, sweep_id, rule, metric, score, cutoff, compared, verdict, decided_at)
                VALUES (@TrialId, @Rung, @sweepId, @Rule, @Metric, @Score, @Cutoff, @Compared, @verdict, @now)
                ON CONFLICT (trial_id, rung) DO NOTHING
                """, new
            {
                decision.TrialId, decision.Rung, sweepId, decision.Rule, decision.Metric, Score = Real(decision.Score),
                Cutoff = Real(decision.Cutoff), decision.Compared, verdict, now = Now(),
            }, tx) > 0;
            if (!added || decision.Verdict != RungVerdict.Prune) return added;
            if (status is not (TrialStatus.Running or TrialStatus.Paused or TrialStatus.Pending))
                throw new ResultsStoreException(
                    $"{Path}: trial {decision.TrialId} is {status.ToDb()}; only a trial still training can be pruned");
            db.Execute("""
                UPDATE trials SET status = 'pruned', finished_at = @now, error = NULL,
                    seconds = (julianday(@now) - julianday(coalesce(started_at, @now))) * 86400.0
                WHERE trial_id = @trialId
                """, new { trialId = decision.TrialId, now = Now() }, tx);
            db.Execute("DELETE FROM epochs WHERE trial_id = @TrialId AND epoch > @Rung", decision, tx);
            if (!keepCheckpoint) db.Execute("DELETE FROM checkpoints WHERE trial_id = @TrialId", decision, tx);
            return true;
        });
    }

    private const string DecisionColumns = """
        d.trial_id AS TrialId, d.rung AS Rung, d.rule AS Rule, d.metric AS Metric, d.score AS Score,
        d.cutoff AS Cutoff, d.compared AS Compared, d.verdict AS Verdict
        """;

    /// <summary>Every stored decision about the sweep's trials, in sweep order and then by rung.</summary>
    public IReadOnlyList<RungDecision> DecisionsOf(string sweepName) => Run(nameof(DecisionsOf), write: false, (db, tx) =>
    {
        var sweepId = RequireSweepId(db, tx, sweepName);
        return db.Query<DecisionRow>($"""
            SELECT {DecisionColumns}
            FROM rung_decisions d JOIN sweep_trials st ON st.trial_id = d.trial_id AND st.sweep_id = @sweepId
            ORDER BY st.ordinal, d.trial_id, d.rung
            """, new { sweepId }, tx).Select(r => r.ToRecord()).ToList();
    });

    /// <summary>The decisions made about one trial, by rung.</summary>
    public IReadOnlyList<RungDecision> DecisionsOfTrial(string trialId) => Run(nameof(DecisionsOfTrial), write: false, (db, tx) =>
        db.Query<DecisionRow>($"SELECT {DecisionColumns} FROM rung_decisions d WHERE d.trial_id = @trialId ORDER BY d.rung",
            new { trialId }, tx).Select(r => r.ToRecord()).ToList());

    /// <summary>
    /// Every stored epoch of the sweep's trials, by trial id, in epoch order: what early-stopping decisions
    /// are made from, read in one snapshot.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<EpochRecord>> EpochsOfSweep(string sweepName) =>
        Run(nameof(EpochsOfSweep), write: false, (db, tx) =>
        {
            var sweepId = RequireSweepId(db, tx, sweepName);
            return (IReadOnlyDictionary<string, IReadOnlyList<EpochRecord>>)db.Query<EpochRow>($"""
                SELECT {EpochColumns} FROM epochs
                WHERE trial_id IN (SELECT trial_id FROM sweep_trials WHERE sweep_id = @sweepId)
                ORDER BY trial_id, epoch
                """, new { sweepId }, tx)
                .Select(r => r.ToRecord())
                .GroupBy(e => e.TrialId)
                .ToDictionary(g => g.Key, g => (IReadOnlyList<EpochRecord>)g.ToList());
        });

    /// <summary>
    /// Begins an attempt that evaluates a pruned trial at its rung; the trial stays pruned. Returns the attempt
    /// number that <see cref="FinishPruned"/> must carry.
    /// </summary>
    /// <exception cref="ResultsStoreException">No such trial, or it is not pruned.</exception>
    public int BeginEvaluation(string trialId, string host)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(trialId);
        ArgumentNullException.ThrowIfNull(host);
        return Run(nameof(BeginEvaluation), write: true, (db, tx) =>
        {
            var (status, attempts) = RequireTrialState(db, tx, trialId);
            if (status != TrialStatus.Pruned)
                throw new ResultsStoreException($"{Path}: trial {trialId} is {status.ToDb()}; only a pruned trial is evaluated at its rung");
            db.Execute("UPDATE trials SET attempts = @attempt, host = @host WHERE trial_id = @trialId",
                new { attempt = attempts + 1, host, trialId }, tx);
            return attempts + 1;
        });
    }

    /// <summary>
    /// Stores a pruned trial's held-out estimates at its rung (and its weights there as its final weights); it
    /// stays pruned. Returns false, changing nothing, for a stale attempt or a trial that is not pruned.
    /// </summary>
    public bool FinishPruned(string trialId, int attempt, LogLikelihoodEstimate validation, LogLikelihoodEstimate test)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(trialId);
        CheckEstimate(trialId, validation, "validation", nameof(validation));
        CheckEstimate(trialId, test, "test", nameof(test));
        return Run(nameof(FinishPruned), write: true, (db, tx) =>
        {
            var (status, attempts) = RequireTrialState(db, tx, trialId);
            if (status != TrialStatus.Pruned || attempt != attempts) return false;
            StoreEstimates(db, tx, trialId, attempt, validation, test);
            KeepFinalWeights(db, tx, trialId);
            DropSettledCheckpoint(db, tx, trialId);
            return true;
        });
    }

    /// <summary>The sweep's pruned trials that have no held-out estimate yet, in sweep order.</summary>
    public IReadOnlyList<string> PrunedWithoutEstimate(string sweepName) => Run(nameof(PrunedWithoutEstimate), write: false, (db, tx) =>
    {
        var sweepId = RequireSweepId(db, tx, sweepName);
        return db.Query<string>("""
            SELECT t.trial_id FROM sweep_trials st JOIN trials t ON t.trial_id = st.trial_id
            WHERE st.sweep_id = @sweepId AND t.status = 'pruned'
              AND NOT EXISTS (SELECT 1 FROM evaluations e WHERE e.trial_id = t.trial_id AND e.split = 'validation')
            ORDER BY st.ordinal, t.trial_id
            """, new { sweepId }, tx).ToList();
    });

    private static double? Real(double? value) => value is { } v ? Real(v) : null;

    private sealed class DecisionRow
    {
        public string TrialId { get; set; } = "";
        public long Rung { get; set; }
        public string Rule { get; set; } = "";
        public string Metric { get; set; } = "";
        public double? Score { get; set; }
        public double? Cutoff { get; set; }
        public long Compared { get; set; }
        public string Verdict { get; set; } = "";

        public RungDecision ToRecord() => new(
            TrialId, (int)Rung, Rule, Metric, Score, Cutoff, (int)Compared,
            Verdict switch
            {
                "prune" => RungVerdict.Prune,
                "continue" => RungVerdict.Continue,
                _ => throw new ResultsStoreException($"rung_decisions.verdict: unknown verdict '{Verdict}' in the database"),
            });
    }
}
