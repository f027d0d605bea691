namespace VaeSweep.Client.Scheduling.Stopping;

/// <summary>
/// Asynchronous successive halving (Li et al. 2018, "A System for Massively Parallel Hyperparameter Tuning") in its
/// stopping form: rungs at grace·η^k epochs; at each, a trial continues only if it is within the top ⌊n/η⌋ (at least
/// one) of the n scores recorded there, the earlier trials' and its own: the paper's promotion rule, so about 1/η of
/// the trials reach the next rung however few have been seen.
/// </summary>
internal sealed class AshaRule(int grace, int reduction) : IStoppingRule
{
    public string Name => "asha";

    public IReadOnlyList<int> Rungs(int epochs)
    {
        var rungs = new List<int>();
        for (long r = grace; r < epochs; r *= reduction) rungs.Add((int)r);
        return rungs;
    }

    public double Score(IReadOnlyList<double> curve, int rung) => curve[rung - 1];

    public double Reference(IReadOnlyList<double> curve, int rung) => curve[rung - 1];

    public double Cutoff(double score, IReadOnlyList<double> references)
    {
        // Descending, NaN (a non-finite metric) last; the trial ties in its own favour.
        var all = references.Append(score).Select(Scores.Orderable).OrderDescending().ToList();
        var keep = Math.Max(1, all.Count / reduction);
        return all[keep - 1];
    }
}
