namespace VaeSweep.Client.Report;

/// <summary>
/// Functional ANOVA (Hutter, Hoos &amp; Leyton-Brown 2014): the share of the variance of the held-out log-likelihood
/// over the configuration space that each parameter explains alone (its main effect). Where every combination of the
/// swept levels was trained (a complete grid), the observed results are the function on the whole product space, so
/// the decomposition is exact with no surrogate model: V_i = mean over levels l of (mean_l − grand mean)², divided by
/// the total variance. Trials sharing a cell are averaged. Pure.
/// </summary>
public static class ParameterImportance
{
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
        var total = levels.Aggregate(1L, (a, b) => a * b);
        if (cells.Count != total)
            return (null, $"{cells.Count} of the {total} combinations of the swept levels have a finished trial; the exact decomposition " +
                          "needs all of them (a complete grid). Random sweeps would need fANOVA's random-forest surrogate, which this version does not fit");
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
