using System.Collections.Concurrent;
using VaeSweep.Contracts;
using VaeSweep.Model.Data;

namespace VaeSweep.Grains;

/// <summary>
/// One copy of each dataset per process: trials in the same silo share the example storage. Files are read
/// once per IDX directory, or once per data source (files, options, content hashes and the seed of a test carve);
/// splits are cheap index arrays (and, when standardised, one mean and scale per feature) made per distinct
/// dataset reference. A load that failed is not cached, so a fixed file works on the next attempt.
/// </summary>
public sealed class DatasetCache
{
    private readonly ConcurrentDictionary<string, Lazy<(ImageSet Train, ImageSet Test)>> directories = new();
    private readonly ConcurrentDictionary<(DataSource Source, int Seed), Lazy<LoadedData>> sources = new();
    private readonly ConcurrentDictionary<DatasetRef, Lazy<DataSplits>> splits = new();

    public DataSplits Get(DatasetRef dataset)
    {
        var lazy = splits.GetOrAdd(dataset, d => new Lazy<DataSplits>(() => Split(d)));
        try
        {
            return lazy.Value;
        }
        catch
        {
            splits.TryRemove(new KeyValuePair<DatasetRef, Lazy<DataSplits>>(dataset, lazy));
            throw;
        }
    }

    private DataSplits Split(DatasetRef d)
    {
        var (train, test) = d.Source is { } source ? Files(source, d.SplitSeed) : Directory(d.Path);
        return DataSplits.Create(train, test, d.Validation, d.SplitSeed, d.Limit, d.Standardize);
    }

    private (ImageSet, ImageSet) Directory(string directory) =>
        Cached(directories, Path.GetFullPath(directory), p => IdxDataset.Load(p));

    private (ImageSet, ImageSet) Files(DataSource source, int seed)
    {
        var absolute = source with { Train = Path.GetFullPath(source.Train), Test = source.Test is null ? null : Path.GetFullPath(source.Test) };
        // The seed only matters to a test carve; with a test file every seed shares one load.
        var loaded = Cached(sources, (absolute, absolute.Test is null ? seed : 0), key => DataFiles.Load(key.Item1, key.Item2));
        return (loaded.Train, loaded.Test);
    }

    private static TValue Cached<TKey, TValue>(ConcurrentDictionary<TKey, Lazy<TValue>> cache, TKey key, Func<TKey, TValue> load)
        where TKey : notnull
    {
        var lazy = cache.GetOrAdd(key, k => new Lazy<TValue>(() => load(k)));
        try
        {
            return lazy.Value;
        }
        catch (DatasetException)
        {
            cache.TryRemove(new KeyValuePair<TKey, Lazy<TValue>>(key, lazy));
            throw;
        }
    }
}
