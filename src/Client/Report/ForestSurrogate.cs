using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;

namespace VaeSweep.Client.Report;

/// <summary>
/// Fits the random-forest regression fANOVA decomposes (Hutter et al. 2014 fit one to the scattered trials of a
/// random search): ML.NET's FastForest, trained on one thread with a fixed seed so a report is reproducible, and its
/// trees read back as <see cref="RegressionTree"/>s.
/// </summary>
/// <remarks>
/// Settings as Optuna's FanovaImportanceEvaluator (scikit-learn's RandomForestRegressor: every feature at each split,
/// leaves down to one example, depth practically unbounded): leaves of one example, as many leaves as examples, every
/// feature considered at every split. FastForest bags 70 % of the examples per tree without replacement where
/// scikit-learn bootstraps (about 63 % distinct); either way each tree sees a different subset.
/// </remarks>
public static class ForestSurrogate
{
    /// <param name="x">One row per trial: its coordinate on each feature.</param>
    /// <param name="y">The value to explain, one per row.</param>
    public static IReadOnlyList<RegressionTree> Fit(IReadOnlyList<double[]> x, IReadOnlyList<double> y, ForestOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0) throw new ArgumentException($"forest options: {string.Join("; ", errors)}", nameof(options));
        if (x.Count != y.Count || x.Count < 2) throw new ArgumentException($"need matching rows and values, at least two; got {x.Count} and {y.Count}", nameof(y));
        var features = x[0].Length;

        var ml = new MLContext(seed: options.Seed);
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, features);
        var data = ml.Data.LoadFromEnumerable(
            x.Select((row, i) => new Row { Features = [.. row.Select(v => (float)v)], Label = (float)y[i] }).ToList(), schema);
        var trainer = ml.Regression.Trainers.FastForest(new FastForestRegressionTrainer.Options
        {
            NumberOfTrees = options.Trees,
            NumberOfLeaves = Math.Max(2, x.Count),
            MinimumExampleCountPerLeaf = 1,
            FeatureFraction = 1,
            FeatureFractionPerSplit = 1,
            Seed = options.Seed,
            NumberOfThreads = 1,
        });
        var ensemble = trainer.Fit(data).Model.TrainedTreeEnsemble;
        return [.. ensemble.Trees.Select(t => new RegressionTree(
            [.. t.NumericalSplitFeatureIndexes],
            [.. t.NumericalSplitThresholds.Select(v => (double)v)],
            [.. t.LeftChild],
            [.. t.RightChild],
            [.. t.LeafValues]))];
    }

    /// <summary>ML.NET reads rows from a class by reflection; the feature vector's length is set in the schema.</summary>
    private sealed class Row
    {
        public float[] Features { get; set; } = [];

        public float Label { get; set; }
    }
}
