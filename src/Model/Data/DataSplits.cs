namespace VaeSweep.Model.Data;

/// <summary>
/// Train / validation / test views over shared <see cref="ImageSet"/>s. The validation split is carved
/// from the training file with its own seed (a property of the dataset, not of a trial), so every trial
/// of a sweep is evaluated on the same examples and can be compared pairwise. With standardisation, both files are
/// views z-scored by statistics of the training indices alone.
/// </summary>
public sealed class DataSplits
{
    private DataSplits(ImageSet trainFile, int[] train, int[] validation, ImageSet test)
    {
        TrainFile = trainFile;
        TrainIndices = train;
        ValidationIndices = validation;
        Test = test;
    }

    /// <summary>The whole training file; <see cref="TrainIndices"/> and <see cref="ValidationIndices"/> index into it.</summary>
    public ImageSet TrainFile { get; }

    public IReadOnlyList<int> TrainIndices { get; }

    public IReadOnlyList<int> ValidationIndices { get; }

    public ImageSet Test { get; }

    /// <summary>The z-scoring every batch gets, fitted on <see cref="TrainIndices"/>; null when the data is used as given.</summary>
    public Standardization? Standardization => TrainFile.Standardization;

    /// <summary>log p(x) − log p(model input) per example: −Σ log s_d when standardised, else 0.</summary>
    public double LogJacobian => Standardization?.LogJacobian ?? 0.0;

    /// <param name="validation">Examples held out of the training file for validation.</param>
    /// <param name="splitSeed">Seed of the permutation that picks them.</param>
    /// <param name="trainLimit">Use only this many training examples (0: all the rest), for quick runs.</param>
    /// <param name="standardize">Z-score every feature by the mean and standard deviation of the training indices.</param>
    public static DataSplits Create(ImageSet trainFile, ImageSet test, int validation, int splitSeed, int trainLimit = 0, bool standardize = false)
    {
        if (validation < 1 || validation >= trainFile.Count)
            throw new ArgumentOutOfRangeException(nameof(validation), $"validation: must be between 1 and {trainFile.Count - 1}, got {validation}");
        if (trainFile.Dimension != test.Dimension)
            throw new ArgumentException($"train examples are {trainFile.Shape} but test examples are {test.Shape}");
        var order = new int[trainFile.Count];
        for (var i = 0; i < order.Length; i++) order[i] = i;
        new Random(splitSeed).Shuffle(order);
        var valid = order[..validation];
        var train = order[validation..];
        if (trainLimit > 0 && trainLimit < train.Length) train = train[..trainLimit];
        Array.Sort(valid);
        Array.Sort(train);
        if (standardize)
        {
            var fitted = Standardization.Fit(trainFile, train);
            return new DataSplits(trainFile.WithStandardization(fitted), train, valid, test.WithStandardization(fitted));
        }
        return new DataSplits(trainFile, train, valid, test);
    }
}
