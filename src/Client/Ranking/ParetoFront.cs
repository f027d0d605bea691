using VaeSweep.Client.Store;

namespace VaeSweep.Client.Ranking;

/// <summary>
/// The trials no other trial dominates on a set of metrics: one dominates another when it is at least as good on
/// every metric and strictly better on one (each in its own direction). The default pair is rate and distortion,
/// both minimised: Alemi et al. (2018)'s rate–distortion plane, where every ELBO is a line rate + distortion = −ELBO.
/// </summary>
public static class ParetoFront
{
    public static IReadOnlyList<(TrialMetric Metric, Direction Direction)> RateDistortion { get; } =
        [(TrialMetric.Find("rate")!, Direction.Minimize), (TrialMetric.Find("distortion")!, Direction.Minimize)];

    /// <summary>
    /// For each point, whether it is on the front; a point with a missing (null) or NaN value is never on it and
    /// dominates nothing. Equal points are all on the front. O(n²·k), fine for sweeps of thousands.
    /// </summary>
    public static bool[] Members(IReadOnlyList<double?[]> points, IReadOnlyList<Direction> directions)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(directions);
        var k = directions.Count;
        // Oriented so that larger is better on every axis.
        var oriented = points.Select(p =>
        {
            if (p.Length != k) throw new ArgumentException($"pareto: a point has {p.Length} values for {k} metrics", nameof(points));
            return p.All(v => v is { } x && !double.IsNaN(x))
                ? p.Select((v, i) => directions[i] == Direction.Maximize ? v!.Value : -v!.Value).ToArray()
                : null;
        }).ToArray();
        var members = new bool[points.Count];
        for (var i = 0; i < oriented.Length; i++)
        {
            if (oriented[i] is not { } a) continue;
            members[i] = !oriented.Any(b => b is not null && Dominates(b, a));
        }
        return members;
    }

    private static bool Dominates(double[] a, double[] b)
    {
        var strictly = false;
        for (var i = 0; i < a.Length; i++)
        {
            if (a[i] < b[i]) return false;
            if (a[i] > b[i]) strictly = true;
        }
        return strictly;
    }

    /// <summary>The results on the front of <paramref name="metrics"/>, each read with <see cref="TrialMetric.ValueOf"/>.</summary>
    public static bool[] Members(IReadOnlyList<TrialResult> results, IReadOnlyList<(TrialMetric Metric, Direction Direction)> metrics) =>
        Members([.. results.Select(r => metrics.Select(m => m.Metric.ValueOf(r)).ToArray())], [.. metrics.Select(m => m.Direction)]);

    /// <summary>
    /// Reads <c>METRIC[:max|:min],METRIC[:max|:min]</c> (directions default to each metric's own); null with a message
    /// naming what is wrong.
    /// </summary>
    public static IReadOnlyList<(TrialMetric Metric, Direction Direction)>? Parse(string text, out string? error)
    {
        error = null;
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length != 2)
        {
            error = $"expected two metrics as METRIC,METRIC (each optionally :max or :min), got '{text}'";
            return null;
        }
        var result = new List<(TrialMetric, Direction)>();
        foreach (var part in parts)
        {
            var pieces = part.Split(':', StringSplitOptions.TrimEntries);
            if (TrialMetric.Find(pieces[0]) is not { } metric)
            {
                error = $"unknown metric '{pieces[0]}'; expected one of {string.Join(", ", TrialMetric.Names)}";
                return null;
            }
            var direction = metric.Better;
            if (pieces.Length == 2 && pieces[1] is "max" or "min") direction = pieces[1] == "max" ? Direction.Maximize : Direction.Minimize;
            else if (pieces.Length != 1)
            {
                error = $"'{part}': a direction is :max or :min";
                return null;
            }
            result.Add((metric, direction));
        }
        if (result[0].Item1 == result[1].Item1)
        {
            error = $"the two metrics are the same ('{result[0].Item1.Name}')";
            return null;
        }
        return result;
    }
}
