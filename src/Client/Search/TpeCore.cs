using VaeSweep.Client.Spec.Expansion;

namespace VaeSweep.Client.Search;

/// <summary>
/// One multivariate TPE proposal (Bergstra et al. 2011; Optuna's TPESampler(multivariate=True, constant_liar=True)),
/// a pure function of its inputs and the random stream it is handed. The γ(n) best finished trials form the good
/// group; the rest, plus the pending trials (the constant liar: running trials count as bad, so parallel proposals
/// spread out), form the bad one. Candidates drawn from the good density l are ranked by log l − log g, the
/// expected-improvement criterion, and the best one not yet tried wins.
/// </summary>
internal static class TpeCore
{
    /// <param name="completed">Finished trials in trial order, oldest first.</param>
    /// <param name="pending">Trials proposed but not to be learnt from, in trial order, all after <paramref name="completed"/>.</param>
    /// <param name="tried">Whether a point duplicates a trial already in the sweep.</param>
    /// <returns>The proposal, or null when every candidate of <see cref="TpeSettings.MaxBatches"/> batches was tried already.</returns>
    public static double[]? Propose(
        IReadOnlyList<SearchDimension> dimensions, IReadOnlyList<ScoredPoint> completed, IReadOnlyList<double[]> pending,
        SplitMix64 rng, TpeSettings settings, Func<double[], bool> tried)
    {
        var (good, bad) = Split(completed, pending, settings);
        var l = new ParzenEstimator(dimensions, good, settings);
        var g = new ParzenEstimator(dimensions, bad, settings);
        for (var batch = 0; batch < settings.MaxBatches; batch++)
        {
            var candidates = l.Sample(rng, settings.Candidates);
            var ranked = candidates
                .Select((c, i) => (Point: c, Index: i, Score: l.LogPdf(c) - g.LogPdf(c)))
                .OrderByDescending(c => double.IsNaN(c.Score) ? double.NegativeInfinity : c.Score)
                .ThenBy(c => c.Index);
            foreach (var candidate in ranked)
                if (!tried(candidate.Point)) return candidate.Point;
        }
        return null;
    }

    /// <summary>
    /// The good and bad groups, each in trial order: the good are the γ(n) best of the n completed (ties to the older
    /// trial); pending trials join the bad after the completed ones, as running trials do in Optuna.
    /// </summary>
    public static (IReadOnlyList<double[]> Good, IReadOnlyList<double[]> Bad) Split(
        IReadOnlyList<ScoredPoint> completed, IReadOnlyList<double[]> pending, TpeSettings settings)
    {
        var goodCount = settings.GoodCount(completed.Count);
        var best = completed
            .Select((o, i) => (Order: i, o.Score))
            .OrderByDescending(o => o.Score).ThenBy(o => o.Order)
            .Take(goodCount)
            .Select(o => o.Order)
            .ToHashSet();
        var good = completed.Where((_, i) => best.Contains(i)).Select(o => o.Point).ToList();
        var bad = completed.Where((_, i) => !best.Contains(i)).Select(o => o.Point).Concat(pending).ToList();
        return (good, bad);
    }
}
