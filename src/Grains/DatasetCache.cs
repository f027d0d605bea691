using System.Collections.Concurrent;
using VaeSweep.Grains.Contracts;
using VaeSweep.Model.Data;

namespace VaeSweep.Grains;

/// <summary>
/// One copy of each dataset per process: trials in the same silo share the pixel bytes. Files are read
/// once per directory; splits are cheap index arrays made per distinct (validation, seed, limit).
/// A load that failed is not cached, so a fixed directory works on the next attempt.
/// </summary>
public sealed class DatasetCache
{
    private readonly ConcurrentDictionary<string, Lazy<(ImageSet Train, ImageSet Test)>> files = new();
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
        var path = Path.GetFullPath(d.Path);
        var lazy = files.GetOrAdd(path, p => new Lazy<(ImageSet, ImageSet)>(() => IdxDataset.Load(p)));
        try
        {
            var (train, test) = lazy.Value;
            return DataSplits.Create(train, test, d.Validation, d.SplitSeed, d.Limit);
        }
        catch (DatasetException)
        {
            files.TryRemove(new KeyValuePair<string, Lazy<(ImageSet, ImageSet)>>(path, lazy));
            throw;
        }
    }
}
