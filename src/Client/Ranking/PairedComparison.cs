using VaeSweep.Model;

namespace VaeSweep.Client.Ranking;

/// <summary>
/// Compares two held-out estimates. Two trials evaluated on the same examples share most of their
/// per-example variation (some digits are simply hard), so the standard error of the per-example
/// difference is usually far smaller than the two SEs combined: pairing separates trials that the
/// unpaired test cannot. It can also be larger, when the trials disagree on which examples are hard.
/// </summary>
public static class PairedComparison
{
    /// <summary>
    /// Paired when both estimates have per-example values for the same number of examples (the estimate is
    /// over the first n examples of the split, so same n means same examples) and n ≥ 2:
    /// d_i = best_i − trial_i, Diff = mean(d), DiffSe = sd(d)/√n with the n − 1 sample deviation.
    /// Otherwise unpaired: Diff = best.Mean − trial.Mean, DiffSe = √(se_best² + se_trial²).
    /// </summary>
    public static Comparison Compare(LogLikelihoodEstimate best, LogLikelihoodEstimate trial)
    {
        ArgumentNullException.ThrowIfNull(best);
        ArgumentNullException.ThrowIfNull(trial);
        var b = best.PerExample ?? [];
        var t = trial.PerExample ?? [];
        var n = b.Length;
        if (n < 2 || t.Length != n || best.Split != trial.Split)
            return new Comparison(
                best.Mean - trial.Mean,
                Math.Sqrt(best.StandardError * best.StandardError + trial.StandardError * trial.StandardError),
                Paired: false);

        var mean = 0.0;
        for (var i = 0; i < n; i++) mean += b[i] - t[i];
        mean /= n;
        // Two passes rather than a running sum of squares: the gaps are small next to the log-likelihoods,
        // and the one-pass formula loses them to cancellation.
        var squares = 0.0;
        for (var i = 0; i < n; i++)
        {
            var deviation = b[i] - t[i] - mean;
            squares += deviation * deviation;
        }
        return new Comparison(mean, Math.Sqrt(squares / (n - 1) / n), Paired: true);
    }
}
