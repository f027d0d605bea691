namespace VaeSweep.Client.Report;

/// <summary>
/// A binary regression tree over numeric features, as a forest library exports it: internal node j sends x left when
/// x[<see cref="Feature"/>[j]] ≤ <see cref="Threshold"/>[j], right otherwise; a child index c ≥ 0 is an internal
/// node, c &lt; 0 is leaf ~c. Node 0 is the root; a tree without internal nodes is the single leaf 0.
/// (This is ML.NET's layout, kept so the forest's trees are read without translation.)
/// </summary>
public sealed record RegressionTree(int[] Feature, double[] Threshold, int[] Left, int[] Right, double[] LeafValues)
{
    /// <summary>The tree's prediction at <paramref name="x"/>.</summary>
    public double Predict(IReadOnlyList<double> x)
    {
        if (Feature.Length == 0) return LeafValues[0];
        var node = 0;
        while (node >= 0) node = x[Feature[node]] <= Threshold[node] ? Left[node] : Right[node];
        return LeafValues[~node];
    }
}
