namespace VaeSweep.Client.Report;

/// <summary>
/// Functional ANOVA (Hutter, Hoos &amp; Leyton-Brown 2014): the share of the variance of a per-trial metric (the held-out LL by default)
/// over the configuration space that each parameter explains alone (its main effect). Where every combination of the
/// swept levels was trained (a complete grid), the observed results are the function on the whole product space, so
/// the decomposition is exact with no surrogate model: V_i = mean over levels l of (mean_l − grand mean)², divided by
/// the total variance. Trials sharing a cell are averaged. Elsewhere (random and tpe sweeps, lists, partial grids)
/// the function is known only at the trials, so a random forest fitted to them stands in for it over the whole search
/// space and fANOVA decomposes its trees (<see cref="ForestSurrogate"/>, <see cref="FunctionalAnova"/>). Pure: the
/// forest is seeded and trained on one thread.
/// </summary>
public static class ParameterImportance
{
    /// <summary>
    /// Each axis's main-effect share of <paramref name="y"/>'s variance: exact on a complete grid of the axes' levels,
    /// else from the forest surrogate; or the reason it cannot be estimated.
    /// </summary>
    /// <param name="trials">The trials explained; every axis has a value for each.</param>
    /// <param name="y">The value explained, indexed like <paramref name="trials"/>.</param>
    public static ImportanceEstimate Estimate(IReadOnlyList<SurrogateAxis> axes, IReadOnlyList<string> trials, IReadOnlyList<double> y, ForestOptions options)
    {
        var levels = axes.Select(a => trials.Select(t => a.Parameter.IndexOf(a.Parameter.Values[t])).ToArray()).ToList();
        var counts = axes.Select(a => a.Parameter.Levels.Count).ToList();
        if (axes.Count < 2 || IsCompleteGrid(levels, counts))
        {
            var (exact, note) = MainEffects(levels, counts, y);
            return new ImportanceEstimate(exact, ImportanceMethod.ExactGrid, note);
        }
        if (y.Count < options.MinimumTrials)
            return new ImportanceEstimate(null, ImportanceMethod.ForestSurrogate,
                $"{y.Count} finished trials cover {DistinctCells(levels, y.Count)} of the {Combinations(counts)} combinations of the swept levels: " +
                $"not a complete grid, and a random-forest surrogate (fANOVA, Hutter et al. 2014) needs at least {options.MinimumTrials} finished trials");
        return FromForest(axes, trials, y, options);
    }

    /// <summary>The main-effect shares of the random-forest surrogate fitted to the trials, whatever their design.</summary>
    public static ImportanceEstimate FromForest(IReadOnlyList<SurrogateAxis> axes, IReadOnlyList<string> trials, IReadOnlyList<double> y, ForestOptions options)
    {
        if (y.All(v => v == y[0]))
            return new ImportanceEstimate(null, ImportanceMethod.ForestSurrogate, "every finished trial has the same value; there is no variance to share out");
        var x = trials.Select(t => axes.Select(a => a.Coordinate(a.Parameter.Values[t])).ToArray()).ToList();
        var fractions = FunctionalAnova.MainEffectFractions(ForestSurrogate.Fit(x, y, options), [.. axes.Select(a => (a.Low, a.High))]);
        return fractions is null
            ? new ImportanceEstimate(null, ImportanceMethod.ForestSurrogate, "the random forest fitted to the trials is flat: no tree varies over the search space")
            : new ImportanceEstimate(fractions, ImportanceMethod.ForestSurrogate, null);
    }

    /// <summary>Whether every combination of the levels occurs among the trials.</summary>
    public static bool IsCompleteGrid(IReadOnlyList<int[]> values, IReadOnlyList<int> levels) =>
        values.Count > 0 && DistinctCells(values, values[0].Length) == Combinations(levels);

    private static long Combinations(IReadOnlyList<int> levels) => levels.Aggregate(1L, (a, b) => a * b);

    private static int DistinctCells(IReadOnlyList<int[]> values, int trials) =>
        Enumerable.Range(0, trials).Select(t => string.Join(",", values.Select(v => v[t]))).Distinct().Count();

    /// <param name="values">Per parameter, each trial's level index; every array indexed like <paramref name="y"/>.</param>
    /// <param name="levels">How many levels each parameter has.</param>
    /// <returns>Each parameter's main-effect share, or null with the reason when the design is not a complete grid.</returns>
    public static (double[]? Fractions, string? Note) MainEffects(IReadOnlyList<int[]> values, IReadOnlyList<int> levels, IReadOnlyList<double> y)
    {
        var k = values.Count;
        if (k < 2) return (null, "one swept parameter explains everything there is; importance needs at least two");
        var cells = new Dictionary<string, (double Sum, int Count)>();
        for (var t = 0; t < y.Count; t++)
        {
            var key = string.Join(",", values.Select(v => v[t]));
            cells[key] = cells.TryGetValue(key, out var c) ? (c.Sum + y[t], c.Count + 1) : (y[t], 1);
        }
        var total = Combinations(levels);
        if (cells.Count != total)
            return (null, $"{cells.Count} of the {total} combinations of the swept levels have a finished trial; the exact decomposition " +
                          "needs all of them (a complete grid)");
        var cellMeans = cells.ToDictionary(c => c.Key, c => c.Value.Sum / c.Value.Count);
        var grand = cellMeans.Values.Average();
        var variance = cellMeans.Values.Average(v => (v - grand) * (v - grand));
        if (!(variance > 0)) return (null, "every combination gives the same held-out log-likelihood; there is no variance to share out");
        var fractions = new double[k];
        for (var i = 0; i < k; i++)
        {
            var index = i;
            var byLevel = cellMeans.GroupBy(c => int.Parse(c.Key.Split(',')[index], System.Globalization.CultureInfo.InvariantCulture))
                .Select(g => g.Average(c => c.Value));
            fractions[i] = byLevel.Average(m => (m - grand) * (m - grand)) / variance;
        }
        return (fractions, null);
    }
}
