using VaeSweep.Client.Ranking;
using VaeSweep.Client.Scheduling.Core;
using VaeSweep.Client.Scheduling.Sources;
using VaeSweep.Client.Spec;
using VaeSweep.Client.Store;

namespace VaeSweep.Client.Scheduling;

/// <summary>Reads what the scheduling core starts from: the sweep's trials as stored, in sweep order, and its decisions.</summary>
internal static class SweepLoader
{
    /// <param name="known">Trials the caller can label with their swept values (the spec's); others are rebuilt from their stored config.</param>
    public static (IReadOnlyList<(KnownTrial Trial, int Ordinal)> Trials, IReadOnlyList<RungDecision> Decisions) Load(
        ResultsStore store, string sweep, ScheduleSpec schedule, IReadOnlyDictionary<string, ResolvedTrial> known)
    {
        var results = store.ResultsOf(sweep);
        var curves = store.EpochsOfSweep(sweep);
        var failures = store.FailureCounts(sweep);
        var decisions = schedule.Kind == ScheduleKind.None ? [] : store.DecisionsOf(sweep);
        var prunedAt = decisions.Where(d => d.Verdict == RungVerdict.Prune).ToDictionary(d => d.TrialId, StringComparer.Ordinal);
        var needsEstimate = schedule.EvaluatePruned ? store.PrunedWithoutEstimate(sweep).ToHashSet(StringComparer.Ordinal) : [];

        var trials = results.Select(r =>
        {
            var t = r.Trial;
            var resolved = known.TryGetValue(t.TrialId, out var k) ? k : ResolvedTrial.FromCanonicalJson(t.ConfigJson);
            var curve = curves.TryGetValue(t.TrialId, out var c) ? c.Select(e => e.Metrics).ToList() : [];
            TrialOutcome? outcome = t.Status switch
            {
                TrialStatus.Finished => TrialOutcome.Finished(TrialNumbers.Of(r), t.Epochs),
                TrialStatus.Pruned => prunedAt.TryGetValue(t.TrialId, out var d)
                    ? TrialOutcome.Pruned(d.Score ?? double.NaN, d.Rung)
                    : TrialOutcome.Pruned(double.NaN, curve.Count),
                TrialStatus.Pending or TrialStatus.Running or TrialStatus.Paused => null,
                _ => TrialOutcome.Bad,
            };
            var entry = new KnownTrial(resolved, t.Status, t.Attempts, failures.GetValueOrDefault(t.TrialId), curve, outcome,
                needsEstimate.Contains(t.TrialId));
            return (entry, t.Ordinal);
        }).ToList();
        return (trials, decisions);
    }
}
