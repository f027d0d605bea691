using VaeSweep.Client.Search;
using VaeSweep.Client.Spec.Expansion;

namespace VaeSweep.Client.Tests.Search;

/// <summary>Drives <see cref="TpeCore"/> one trial at a time on a known function, as a sweep with lag 1 would.</summary>
internal static class SequentialSearch
{
    /// <summary>A point drawn uniformly: log axes uniform in log, integers and choices uniform over their values.</summary>
    public static double[] RandomPoint(IReadOnlyList<SearchDimension> space, SplitMix64 rng) =>
        space.Select(d => d switch
        {
            NumericDimension n => n.FromKernel(n.Integer
                ? rng.NextInclusive((long)n.Low, (long)n.High)
                : n.KernelLow + (n.KernelHigh - n.KernelLow) * rng.NextDouble()),
            CategoricalDimension c => (double)rng.NextInclusive(0, c.Count - 1),
            _ => throw new ArgumentException(d.GetType().Name),
        }).ToArray();

    /// <summary>The trials of one search, in order: <paramref name="startup"/> random points, then TPE proposals.</summary>
    public static IReadOnlyList<ScoredPoint> Run(IReadOnlyList<SearchDimension> space, Func<double[], double> objective, int trials, int startup, int seed)
    {
        var done = new List<ScoredPoint>();
        var startupRng = new SplitMix64(seed);
        for (var n = 0; n < trials; n++)
        {
            var point = n < startup
                ? RandomPoint(space, startupRng)
                : TpeCore.Propose(space, done, [], TpeProposer.StreamFor(seed, n), TpeSettings.Default, _ => false)!;
            done.Add(new ScoredPoint(point, objective(point)));
        }
        return done;
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : 0.5 * (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]);
    }
}
