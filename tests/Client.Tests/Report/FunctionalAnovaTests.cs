using VaeSweep.Client.Report;

namespace VaeSweep.Client.Tests.Report;

/// <summary>fANOVA of one tree against closed forms and brute-force integration.</summary>
public sealed class FunctionalAnovaTests
{
    // x0 ≤ 0.25 → 4; else x1 ≤ 0.5 → 0, else 8; on [0, 1] × [0, 2].
    private static readonly RegressionTree HandBuilt = new([0, 1], [0.25, 0.5], [~0, ~1], [1, ~2], [4, 0, 8]);
    private static readonly (double, double)[] HandBounds = [(0, 1), (0, 2)];

    [Fact]
    public void A_hand_built_tree_decomposes_as_the_closed_form()
    {
        // Leaf weights 1/4, 3/16, 9/16; mean 5.5; variance 9.75. The marginal of x0 is 4 on a quarter and
        // (1/4)·0 + (3/4)·8 = 6 elsewhere: 0.75. That of x1 is 1 on a quarter of [0, 2] and 7 elsewhere: 6.75.
        var (main, total) = FunctionalAnova.Decompose(HandBuilt, HandBounds);
        Assert.Equal(9.75, total, 12);
        Assert.Equal(0.75, main[0], 12);
        Assert.Equal(6.75, main[1], 12);
        var fractions = FunctionalAnova.MainEffectFractions([HandBuilt], HandBounds)!;
        Assert.Equal(0.75 / 9.75, fractions[0], 12);
        Assert.Equal(6.75 / 9.75, fractions[1], 12);
    }

    [Fact]
    public void Random_trees_decompose_as_integration_over_a_fine_grid()
    {
        // Thresholds on multiples of 1/32 of each interval and a quadrature grid of 64 cells per axis: every cell lies
        // inside one leaf, so the midpoint rule is exact and any disagreement is a bug, not quadrature error.
        var rng = new Random(5);
        (double Low, double High)[] bounds = [(-1, 3), (0, 1), (10, 12)];
        for (var trial = 0; trial < 5; trial++)
        {
            var tree = RandomTree(rng, bounds, internalNodes: 12);
            var (main, total) = FunctionalAnova.Decompose(tree, bounds);
            var (bruteMain, bruteTotal) = BruteForce(tree, bounds, cells: 64);
            Assert.Equal(bruteTotal, total, 9);
            for (var i = 0; i < bounds.Length; i++) Assert.Equal(bruteMain[i], main[i], 9);
            Assert.True(main.Sum() <= total + 1e-9);
        }
    }

    [Fact]
    public void A_split_beyond_the_bounds_adds_nothing_and_a_flat_forest_has_no_fractions()
    {
        // The extra root split at x0 ≤ −5 sends nothing of [0, 1] left: same decomposition as without it.
        var shifted = new RegressionTree([0, 0, 1], [-5, 0.25, 0.5], [~3, ~0, ~1], [1, 2, ~2], [4, 0, 8, 100]);
        var (main, total) = FunctionalAnova.Decompose(shifted, HandBounds);
        Assert.Equal(9.75, total, 12);
        Assert.Equal(0.75, main[0], 12);
        Assert.Equal(6.75, main[1], 12);

        Assert.Null(FunctionalAnova.MainEffectFractions([new RegressionTree([], [], [], [], [3.0])], HandBounds));
        Assert.Throws<ArgumentException>(() => FunctionalAnova.Decompose(HandBuilt, [(0, 1), (2, 2)]));
    }

    private static RegressionTree RandomTree(Random rng, (double Low, double High)[] bounds, int internalNodes)
    {
        // Grow by splitting a random leaf; children lists in ML.NET's layout (leaf ~index).
        var feature = new List<int>();
        var threshold = new List<double>();
        var left = new List<int>();
        var right = new List<int>();
        var leaves = new List<(int Parent, bool IsLeft)> { (-1, false) };
        for (var n = 0; n < internalNodes; n++)
        {
            var f = rng.Next(bounds.Length);
            var t = bounds[f].Low + (bounds[f].High - bounds[f].Low) * rng.Next(1, 32) / 32.0;
            var node = feature.Count;
            feature.Add(f);
            threshold.Add(t);
            left.Add(0);
            right.Add(0);
            var split = rng.Next(leaves.Count);
            var (parent, isLeft) = leaves[split];
            if (parent >= 0) (isLeft ? left : right)[parent] = node;
            leaves[split] = (node, true);
            leaves.Add((node, false));
        }
        for (var l = 0; l < leaves.Count; l++) ((leaves[l].IsLeft ? left : right)[leaves[l].Parent]) = ~l;
        var values = leaves.Select(_ => Math.Round(rng.NextDouble() * 20 - 10, 3)).ToArray();
        return new RegressionTree([.. feature], [.. threshold], [.. left], [.. right], values);
    }

    private static (double[] Main, double Total) BruteForce(RegressionTree tree, (double Low, double High)[] bounds, int cells)
    {
        var k = bounds.Length;
        var marginals = Enumerable.Range(0, k).Select(_ => new double[cells]).ToArray();
        var values = new List<double>();
        var x = new double[k];
        var index = new int[k];
        var count = (int)Math.Pow(cells, k);
        for (var c = 0; c < count; c++)
        {
            for (int d = 0, rest = c; d < k; d++, rest /= cells)
            {
                index[d] = rest % cells;
                x[d] = bounds[d].Low + (bounds[d].High - bounds[d].Low) * (index[d] + 0.5) / cells;
            }
            var v = tree.Predict(x);
            values.Add(v);
            for (var d = 0; d < k; d++) marginals[d][index[d]] += v / (count / cells);
        }
        var mean = values.Average();
        return ([.. marginals.Select(m => m.Average(v => (v - mean) * (v - mean)))], values.Average(v => (v - mean) * (v - mean)));
    }
}
