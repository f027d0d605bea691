using VaeSweep.Client.Spec;
using VaeSweep.Client.Store;
using VaeSweep.Model;

namespace VaeSweep.Client.Scheduling.Stopping;

/// <summary>
/// The early-stopping state of one sweep: every trial's curve, whether more epochs can still come, and the
/// decisions made. A trial is judged at a rung against the trials before it in sweep order only, and only once
/// each of those has either scored at that rung or can no longer reach it. Whether an earlier trial reaches a
/// rung depends in turn only on the trials before it, so every decision follows from the epoch results and
/// the sweep order alone, never from which silo was faster or which event arrived first.
/// </summary>
internal sealed class RungLedger
{
    private readonly IStoppingRule rule;
    private readonly ScheduleSpec schedule;
    private readonly List<Entry> order = [];
    private readonly Dictionary<string, Entry> byId = new(StringComparer.Ordinal);

    /// <param name="trials">The sweep's trials in sweep order, with the epochs each is to train.</param>
    public RungLedger(IStoppingRule rule, ScheduleSpec schedule, IEnumerable<(string TrialId, int Epochs)> trials)
    {
        this.rule = rule;
        this.schedule = schedule;
        foreach (var (id, epochs) in trials) Add(id, epochs);
    }

    /// <summary>Appends a trial to the sweep order (an adaptive source proposed it after the others).</summary>
    public void Add(string trialId, int epochs)
    {
        var entry = new Entry(order.Count, epochs, rule.Rungs(epochs));
        byId.Add(trialId, entry);
        order.Add(entry);
    }

    /// <summary>Stores one epoch's score (a retrained epoch replaces the earlier, identical one).</summary>
    public void RecordEpoch(string trialId, int epoch, EpochMetrics metrics)
    {
        var curve = byId[trialId].Curve;
        var score = Scores.Of(schedule.Metric, metrics);
        if (epoch <= curve.Count) curve[epoch - 1] = score;
        else if (epoch == curve.Count + 1) curve.Add(score);
        else throw new InvalidOperationException($"trial {trialId}: epoch {epoch} recorded after only {curve.Count}");
    }

    /// <summary>No more epochs will come for the trial (finished, pruned, diverged or given up on).</summary>
    public void End(string trialId) => byId[trialId].Ended = true;

    /// <summary>Takes a decision already made (stored by an earlier run, or just now by <see cref="TryDecide"/>).</summary>
    public void Record(RungDecision decision)
    {
        var entry = byId[decision.TrialId];
        entry.Decisions[decision.Rung] = decision;
        if (decision.Verdict != RungVerdict.Prune) return;
        entry.Ended = true;
        if (entry.Curve.Count > decision.Rung) entry.Curve.RemoveRange(decision.Rung, entry.Curve.Count - decision.Rung);
    }

    /// <summary>Decisions recorded so far for the trial (continues and at most one prune).</summary>
    public int DecisionCount(string trialId) => byId[trialId].Decisions.Count;

    /// <summary>The rung where the trial has scored but not been judged yet, if any: it must wait there.</summary>
    public int? WaitingAt(string trialId)
    {
        var entry = byId[trialId];
        foreach (var rung in entry.Rungs)
            if (!entry.Decisions.ContainsKey(rung)) return rung <= entry.Curve.Count ? rung : null;
        return null;
    }

    /// <summary>The next rung the trial is to pause at, or null when no judgement is left before its last epoch.</summary>
    public int? NextRung(string trialId)
    {
        var entry = byId[trialId];
        foreach (var rung in entry.Rungs)
            if (!entry.Decisions.ContainsKey(rung)) return rung;
        return null;
    }

    /// <summary>
    /// Judges the trial at <paramref name="rung"/> (it must have scored there) if every earlier trial has scored
    /// there or cannot reach it; otherwise null, to be asked again once more is known.
    /// </summary>
    public RungDecision? TryDecide(string trialId, int rung)
    {
        var entry = byId[trialId];
        if (entry.Curve.Count < rung)
            throw new InvalidOperationException($"trial {trialId}: judged at epoch {rung} with only {entry.Curve.Count} epochs scored");
        var references = new List<double>();
        for (var i = 0; i < entry.Index; i++)
        {
            var earlier = order[i];
            if (earlier.Curve.Count >= rung) references.Add(rule.Reference(earlier.Curve, rung));
            else if (!earlier.Ended && earlier.Epochs >= rung) return null;
        }

        var score = rule.Score(entry.Curve, rung);
        if (references.Count < schedule.MinTrials)
            return new RungDecision(trialId, rung, rule.Name, schedule.Metric, score, null, references.Count, RungVerdict.Continue);
        var cutoff = rule.Cutoff(score, references);
        var verdict = Scores.Orderable(score) < cutoff ? RungVerdict.Prune : RungVerdict.Continue;
        return new RungDecision(trialId, rung, rule.Name, schedule.Metric, score, cutoff, references.Count, verdict);
    }

    private sealed class Entry(int index, int epochs, IReadOnlyList<int> rungs)
    {
        public int Index { get; } = index;
        public int Epochs { get; } = epochs;
        public IReadOnlyList<int> Rungs { get; } = rungs;
        public List<double> Curve { get; } = [];
        public Dictionary<int, RungDecision> Decisions { get; } = [];
        public bool Ended { get; set; }
    }
}
