namespace VaeSweep.Client.Store;

/// <summary>
/// An early-stopping decision about one trial at one rung (an epoch count), as stored in rung_decisions.
/// </summary>
/// <param name="Rule">The schedule's kind: asha or median.</param>
/// <param name="Metric">The per-epoch metric compared, e.g. val_elbo (higher is better).</param>
/// <param name="Score">The trial's score at the rung (for median: its best so far); null when the metric was not finite.</param>
/// <param name="Cutoff">The score it had to reach; null when fewer than the schedule's min_trials could be compared.</param>
/// <param name="Compared">Earlier trials of the sweep, in sweep order, with a score at this rung.</param>
public sealed record RungDecision(
    string TrialId, int Rung, string Rule, string Metric, double? Score, double? Cutoff, int Compared, RungVerdict Verdict);

public enum RungVerdict
{
    Continue,
    Prune,
}
