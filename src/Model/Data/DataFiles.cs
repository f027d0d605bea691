using System.IO.Compression;
using System.Security.Cryptography;
using VaeSweep.Model.Randomness;

namespace VaeSweep.Model.Data;

/// <summary>A <see cref="DataSource"/>'s training and test sets, with the SHA-256 of the files they came from.</summary>
public sealed record LoadedData(ImageSet Train, ImageSet Test, string TrainSha256, string? TestSha256);

/// <summary>
/// Loads a <see cref="DataSource"/>: each file by its extension (.npy, .npz, .csv, with .gz allowed on .npy and .csv),
/// the test examples from the test file or carved from the training file, and the files' content hashes. Every fault
/// is a <see cref="DatasetException"/> that names the file (and the row or array where there is one).
/// </summary>
public static class DataFiles
{
    /// <summary>Stream of the test carve, apart from the validation carve that <see cref="DataSplits"/> makes with the same seed.</summary>
    private const ulong TestCarveStream = 0x7E57;

    /// <param name="splitSeed">Seed of the test carve when the source has no test file.</param>
    public static LoadedData Load(DataSource source, int splitSeed)
    {
        var trainHash = Hash(source.Train, source.TrainSha256);
        var train = ReadFile(source.Train, source);
        if (source.Test is null)
        {
            if (!(source.TestFraction is > 0 and < 1))
                throw new DatasetException($"{source.Train}: without a test file, test_fraction must be between 0 and 1, got {source.TestFraction}");
            var (rest, test) = Carve(train, source.TestFraction, splitSeed, source.Train);
            return new LoadedData(rest, test, trainHash, null);
        }
        var testHash = Hash(source.Test, source.TestSha256);
        var testSet = ReadFile(source.Test, source);
        if (testSet.Dimension != train.Dimension || testSet.Shape != train.Shape)
            throw new DatasetException($"{source.Test}: test examples are {Describe(testSet.Shape)} but the training file {source.Train} has {Describe(train.Shape)}");
        if (testSet.HasLabels != train.HasLabels)
            throw new DatasetException($"{source.Test}: labels in one file but not the other ({source.Train})");
        return new LoadedData(train, testSet, trainHash, testHash);
    }

    /// <summary>SHA-256 of a file's bytes, lower-case hex.</summary>
    /// <exception cref="DatasetException">The file is missing or unreadable.</exception>
    public static string Sha256(string path) => Open(path, stream => Convert.ToHexStringLower(SHA256.HashData(stream)));

    private static string Hash(string path, string? expected)
    {
        var actual = Sha256(path);
        if (expected is not null && !string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
            throw new DatasetException($"{path}: the file changed since the sweep was specified (SHA-256 {actual[..12]}…, expected {expected[..Math.Min(12, expected.Length)]}…); " +
                                       "its trials would mix data, so specify the sweep again");
        return actual;
    }

    private static ImageSet ReadFile(string path, DataSource source)
    {
        var gzip = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);
        var bare = gzip ? path[..^3] : path;
        var extension = Path.GetExtension(bare).ToLowerInvariant();
        if (extension != ".npz" && source.Array is not null)
            throw new DatasetException($"{path}: dataset.array names an array inside an .npz; this is a {extension} file");
        switch (extension)
        {
            case ".npy":
                if (source.Labels is not null)
                    throw new DatasetException($"{path}: a .npy file holds one array, so it has no labels to name; put data and labels in an .npz, or use a CSV column");
                if (source.Shape is not null)
                    throw new DatasetException($"{path}: dataset.shape is for CSV rows; a .npy array carries its own shape (save it as N×H×W)");
                return Open(path, stream => NpyReader.ReadData(Decompressed(stream, gzip), path, null));
            case ".npz" when !gzip:
                if (source.Shape is not null)
                    throw new DatasetException($"{path}: dataset.shape is for CSV rows; an .npz array carries its own shape (save it as N×H×W)");
                return Open(path, stream => ReadArchive(stream, path, source));
            case ".csv":
                return Open(path, stream =>
                {
                    using var text = new StreamReader(Decompressed(stream, gzip));
                    return CsvTable.Read(text, path, source.Labels, source.Shape);
                });
            default:
                throw new DatasetException($"{path}: unsupported file type; use .npy, .npz or .csv (.npy and .csv may be gzipped, name.csv.gz)");
        }
    }

    private static ImageSet ReadArchive(Stream stream, string path, DataSource source)
    {
        using var zip = new ZipArchive(stream, ZipArchiveMode.Read);
        var arrays = zip.Entries.Where(e => e.FullName.EndsWith(".npy", StringComparison.Ordinal))
            .ToDictionary(e => e.FullName[..^4], StringComparer.Ordinal);
        var held = string.Join(", ", arrays.Keys.Order(StringComparer.Ordinal));
        byte[]? labels = null;
        if (source.Labels is { } labelName)
        {
            if (!arrays.TryGetValue(labelName, out var labelEntry))
                throw new DatasetException($"{path}: no array '{labelName}' for dataset.labels; it holds {held}");
            using var labelStream = labelEntry.Open();
            labels = NpyReader.ReadLabels(labelStream, $"{path}:{labelName}");
        }
        string name;
        if (source.Array is { } wanted)
        {
            if (!arrays.ContainsKey(wanted)) throw new DatasetException($"{path}: no array '{wanted}' for dataset.array; it holds {held}");
            name = wanted;
        }
        else
        {
            var candidates = arrays.Keys.Where(k => k != source.Labels).ToList();
            if (candidates.Count != 1)
                throw new DatasetException(candidates.Count == 0
                    ? $"{path}: holds no data array{(held.Length > 0 ? $" (only {held})" : "")}"
                    : $"{path}: holds arrays {held}; name the data with dataset.array");
            name = candidates[0];
        }
        using var data = arrays[name].Open();
        return NpyReader.ReadData(data, $"{path}:{name}", labels);
    }

    private static (ImageSet Kept, ImageSet Test) Carve(ImageSet all, double fraction, int splitSeed, string path)
    {
        var testCount = (int)Math.Round(all.Count * fraction);
        if (testCount < 1 || testCount >= all.Count)
            throw new DatasetException($"{path}: test_fraction {fraction} of {all.Count} examples leaves {testCount} for test and {all.Count - testCount} for training");
        var order = new int[all.Count];
        for (var i = 0; i < order.Length; i++) order[i] = i;
        Xoshiro256StarStar.FromSeed(Xoshiro256StarStar.DeriveSeed(unchecked((ulong)(long)splitSeed), TestCarveStream)).Shuffle(order);
        var test = order[..testCount];
        var rest = order[testCount..];
        Array.Sort(test);
        Array.Sort(rest);
        return (all.Select(rest), all.Select(test));
    }

    private static string Describe(DataShape shape) => shape.IsImage ? $"{shape} images" : $"{shape.Dimension} features";

    private static Stream Decompressed(Stream stream, bool gzip) => gzip ? new GZipStream(stream, CompressionMode.Decompress) : stream;

    private static T Open<T>(string path, Func<Stream, T> read)
    {
        if (!File.Exists(path)) throw new DatasetException($"{path}: file does not exist");
        try
        {
            using var file = File.OpenRead(path);
            return read(file);
        }
        catch (InvalidDataException e)
        {
            throw new DatasetException($"{path}: not a valid {(path.EndsWith(".npz", StringComparison.OrdinalIgnoreCase) ? "zip (.npz)" : "gzip")} file: {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new DatasetException($"{path}: cannot be read: {e.Message}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new DatasetException($"{path}: cannot be read: {e.Message}", e);
        }
    }
}
