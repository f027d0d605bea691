namespace VaeSweep.Client.Report;

/// <summary>
/// Functional ANOVA of tree ensembles (Hutter, Hoos &amp; Leyton-Brown 2014, "An Efficient Approach for Assessing
/// Hyperparameter Importance", §3): the share of a function's variance over a bounded box that each feature explains
/// alone (its main effect), computed exactly for each tree of a forest and averaged over the trees. Pure.
/// </summary>
/// <remarks>
/// Why exact per tree: a tree is constant on each leaf's box, so every integral the decomposition needs is a finite
/// sum. Under the uniform measure on the box B = Π_d [a_d, b_d]:
/// <list type="bullet">
/// <item>leaf l's weight w_l is the fraction of B its box covers; the mean is μ = Σ_l w_l v_l and the total variance
/// V = Σ_l w_l (v_l − μ)²;</item>
/// <item>feature i's marginal f_i(x_i) (the tree averaged over every other feature) is constant between consecutive
/// thresholds the tree uses on i, so cut [a_i, b_i] there; on a piece with midpoint m, f_i = Σ over leaves whose
/// i-interval holds m of v_l · w_l / (fraction of [a_i, b_i] the leaf's i-interval covers), the leaf's share of the
/// other features' volume;</item>
/// <item>the main-effect variance is V_i = Σ_pieces (piece length fraction) · (f_i − μ)².</item>
/// </list>
/// Like the paper (and Optuna's FanovaImportanceEvaluator), each tree's fractions V_i / V are averaged over the trees
/// with V &gt; 0, rather than decomposing the forest's mean, which would need the product of all trees' partitions.
/// </remarks>
public static class FunctionalAnova
{
    /// <summary>One tree's main-effect variance of each feature and its total variance over the box.</summary>
    /// <param name="bounds">Per feature, the interval [Low, High] (High &gt; Low) the space spans.</param>
    public static (double[] MainEffects, double Total) Decompose(RegressionTree tree, IReadOnlyList<(double Low, double High)> bounds)
    {
        var k = bounds.Count;
        foreach (var (low, high) in bounds)
            if (!(high > low)) throw new ArgumentException($"every interval must have High > Low, got [{low}, {high}]", nameof(bounds));
        var leaves = Leaves(tree, bounds);
        var mean = leaves.Sum(l => l.Weight * l.Value);
        var total = leaves.Sum(l => l.Weight * (l.Value - mean) * (l.Value - mean));
        var main = new double[k];
        for (var i = 0; i < k; i++)
        {
            var (a, b) = bounds[i];
            var cuts = new SortedSet<double> { a, b };
            for (var node = 0; node < tree.Feature.Length; node++)
                if (tree.Feature[node] == i && tree.Threshold[node] > a && tree.Threshold[node] < b) cuts.Add(tree.Threshold[node]);
            var edges = cuts.ToArray();
            // A leaf's i-interval runs between two edges (its ends are thresholds on i or the bounds), so it adds its
            // share to a run of consecutive pieces: a difference array keeps this O(leaves · log pieces) for big sweeps.
            var step = new double[edges.Length];
            foreach (var leaf in leaves)
            {
                if (!(leaf.Weight > 0)) continue;
                var share = leaf.Value * leaf.Weight / ((leaf.High[i] - leaf.Low[i]) / (b - a));
                step[Array.BinarySearch(edges, leaf.Low[i])] += share;
                step[Array.BinarySearch(edges, leaf.High[i])] -= share;
            }
            var marginal = 0.0;
            for (var p = 0; p + 1 < edges.Length; p++)
            {
                marginal += step[p];
                main[i] += (edges[p + 1] - edges[p]) / (b - a) * (marginal - mean) * (marginal - mean);
            }
        }
        return (main, total);
    }

    /// <summary>
    /// Each feature's main-effect share averaged over the trees whose total variance is positive; null when none is
    /// (every tree is constant over the box: there is nothing to share out).
    /// </summary>
    public static double[]? MainEffectFractions(IReadOnlyList<RegressionTree> trees, IReadOnlyList<(double Low, double High)> bounds)
    {
        var sums = new double[bounds.Count];
        var counted = 0;
        foreach (var tree in trees)
        {
            var (main, total) = Decompose(tree, bounds);
            // Relative to the tree's own spread: a tree that is flat up to rounding explains nothing and must not divide by ~0.
            var scale = tree.LeafValues.Max(Math.Abs);
            if (!(total > 1e-24 * Math.Max(1, scale * scale))) continue;
            for (var i = 0; i < sums.Length; i++) sums[i] += Math.Min(main[i], total) / total;
            counted++;
        }
        return counted == 0 ? null : [.. sums.Select(s => s / counted)];
    }

    private sealed record Leaf(double Value, double Weight, double[] Low, double[] High);

    /// <summary>Every leaf with its box (the bounds cut by the splits on its path) and the fraction of the space it covers.</summary>
    private static List<Leaf> Leaves(RegressionTree tree, IReadOnlyList<(double Low, double High)> bounds)
    {
        var leaves = new List<Leaf>();
        var low = bounds.Select(b => b.Low).ToArray();
        var high = bounds.Select(b => b.High).ToArray();
        if (tree.Feature.Length == 0)
        {
            leaves.Add(new Leaf(tree.LeafValues[0], 1, low, high));
            return leaves;
        }
        var stack = new Stack<(int Child, double[] Low, double[] High)>();
        stack.Push((0, low, high));
        while (stack.Count > 0)
        {
            var (child, lo, hi) = stack.Pop();
            if (child < 0)
            {
                // A split outside the box (a threshold beyond the searched range) leaves one side empty: weight 0.
                var weight = 1.0;
                for (var d = 0; d < lo.Length; d++) weight *= Math.Max(0, hi[d] - lo[d]) / (bounds[d].High - bounds[d].Low);
                leaves.Add(new Leaf(tree.LeafValues[~child], weight, lo, hi));
                continue;
            }
            var (f, t) = (tree.Feature[child], tree.Threshold[child]);
            var leftHigh = (double[])hi.Clone();
            leftHigh[f] = Math.Min(hi[f], t);
            var rightLow = (double[])lo.Clone();
            rightLow[f] = Math.Max(lo[f], t);
            stack.Push((tree.Left[child], lo, leftHigh));
            stack.Push((tree.Right[child], rightLow, hi));
        }
        return leaves;
    }
}
