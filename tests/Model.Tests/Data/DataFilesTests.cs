using System.Security.Cryptography;
using System.Text;
using VaeSweep.Model.Data;

namespace VaeSweep.Model.Tests.Data;

/// <summary>
/// The .npy, .npz and CSV loaders on files written in the real formats: values, shapes, labels and hashes come
/// through exactly, and each kind of bad input is a <see cref="DatasetException"/> naming the file and the place.
/// </summary>
public sealed class DataFilesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vaesweep-data-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, byte[] content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    private string WriteText(string name, string content) => Write(name, Encoding.UTF8.GetBytes(content));

    private static float[] Sequence(int n, float scale = 0.25f) => Enumerable.Range(0, n).Select(i => (i % 7 - 3) * scale).ToArray();

    [Fact]
    public void Float32_features_load_exactly_with_their_test_file_and_hashes()
    {
        var train = Write("x_train.npy", NpyFiles.Float32(Sequence(5 * 3), 5, 3));
        var test = Write("x_test.npy", NpyFiles.Float32(Sequence(2 * 3, 0.5f), 2, 3));

        var loaded = DataFiles.Load(new DataSource(train, test), splitSeed: 0);

        Assert.Equal((5, 3, false, true), (loaded.Train.Count, loaded.Train.Dimension, loaded.Train.IsImage, loaded.Train.IsFloat));
        Assert.Equal(Sequence(15), loaded.Train.Values.ToArray());
        Assert.Equal(Sequence(6, 0.5f), loaded.Test.Values.ToArray());
        Assert.False(loaded.Train.HasLabels);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(train))), loaded.TrainSha256);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(test))), loaded.TestSha256);
    }

    [Fact]
    public void Uint8_images_stay_bytes_and_float64_becomes_float32_and_gzip_is_read()
    {
        var pixels = Enumerable.Range(0, 4 * 2 * 3).Select(i => (byte)(i * 10)).ToArray();
        var train = Path.Combine(_dir, "images.npy.gz");
        NpyFiles.WriteGzip(train, NpyFiles.UInt8(pixels, 4, 2, 3));
        var test = Write("images64.npy", NpyFiles.Float64([0.1, 0.2, 0.3, 0.4, 0.5, 0.6], 1, 2, 3));

        var loaded = DataFiles.Load(new DataSource(train, test), 0);

        Assert.Equal(new DataShape(2, 3, 1, IsImage: true), loaded.Train.Shape);
        Assert.False(loaded.Train.IsFloat);
        Assert.Equal(pixels, loaded.Train.Pixels.ToArray());
        Assert.Equal(new[] { 0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f }, loaded.Test.Values.ToArray());
    }

    [Fact]
    public void An_npz_gives_its_named_data_array_and_integer_labels()
    {
        var path = Path.Combine(_dir, "digits.npz");
        NpyFiles.WriteNpz(path,
            ("x", NpyFiles.Float32(Sequence(4 * 2 * 2), 4, 2, 2, 1)),
            ("y", NpyFiles.Int64([3, 1, 4, 1], 4)),
            ("meta", NpyFiles.Float32([1f], 1, 1)));

        var loaded = DataFiles.Load(new DataSource(path, TestFraction: 0.25, Labels: "y", Array: "x"), 0);

        Assert.Equal(new DataShape(2, 2, 1, IsImage: true), loaded.Train.Shape);
        Assert.Equal((3, 1), (loaded.Train.Count, loaded.Test.Count));
        Assert.True(loaded.Train.HasLabels);
        var labels = loaded.Train.Labels.ToArray().Concat(loaded.Test.Labels.ToArray()).Order().ToArray();
        Assert.Equal(new byte[] { 1, 1, 3, 4 }, labels);
        var ex = Assert.Throws<DatasetException>(() => DataFiles.Load(new DataSource(path, TestFraction: 0.25, Labels: "y"), 0));
        Assert.Equal($"{path}: holds arrays meta, x, y; name the data with dataset.array", ex.Message);
    }

    [Fact]
    public void A_test_carve_is_a_seeded_partition_of_the_file()
    {
        var path = Write("all.npy", NpyFiles.Float32(Enumerable.Range(0, 100).Select(i => (float)i).ToArray(), 100, 1));

        var a = DataFiles.Load(new DataSource(path, TestFraction: 0.2), splitSeed: 5);
        var b = DataFiles.Load(new DataSource(path, TestFraction: 0.2), splitSeed: 5);
        var c = DataFiles.Load(new DataSource(path, TestFraction: 0.2), splitSeed: 6);

        Assert.Equal((80, 20), (a.Train.Count, a.Test.Count));
        var all = a.Train.Values.ToArray().Concat(a.Test.Values.ToArray()).Order().ToArray();
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (float)i), all);
        Assert.Equal(a.Test.Values.ToArray(), b.Test.Values.ToArray());
        Assert.NotEqual(a.Test.Values.ToArray(), c.Test.Values.ToArray());
        // Both parts keep file order, so the test examples are the file's in order.
        Assert.Equal(a.Test.Values.ToArray().Order(), a.Test.Values.ToArray());
    }

    [Fact]
    public void A_csv_with_a_header_and_a_named_label_column_gzipped()
    {
        var path = Path.Combine(_dir, "table.csv.gz");
        NpyFiles.WriteGzip(path, Encoding.UTF8.GetBytes("a,b,class,c\n1.5,-2,3,4e-1\n0,0.25,7,-1\n\n"));

        using var text = new StreamReader(new System.IO.Compression.GZipStream(File.OpenRead(path), System.IO.Compression.CompressionMode.Decompress));
        var set = CsvTable.Read(text, path, "class", null);
        var loaded = DataFiles.Load(new DataSource(path, TestFraction: 0.5, Labels: "class"), 0);

        Assert.Equal((2, 3), (set.Count, set.Dimension));
        Assert.Equal(new[] { 1.5f, -2f, 0.4f, 0f, 0.25f, -1f }, set.Values.ToArray());
        Assert.Equal(new byte[] { 3, 7 }, set.Labels.ToArray());
        Assert.Equal((1, 1, 3), (loaded.Train.Count, loaded.Test.Count, loaded.Train.Dimension));
    }

    [Fact]
    public void A_csv_without_a_header_takes_its_first_row_as_data_and_a_shape_makes_it_images()
    {
        var path = WriteText("plain.csv", "1,2,3,4,0\n5,6,7,8,1\n9,10,11,12,0\n");

        var loaded = DataFiles.Load(new DataSource(path, TestFraction: 1.0 / 3, Labels: "last", Shape: new DataShape(2, 2, 1, true)), 0);

        Assert.Equal(3, loaded.Train.Count + loaded.Test.Count);
        Assert.True(loaded.Train.IsImage);
        Assert.Equal(4, loaded.Train.Dimension);
    }

    public static TheoryData<string, string, string> BadCsv => new()
    {
        { "ragged.csv", "1,2,3\n4,5,6\n7,8\n", "ragged.csv:3: 2 fields, but line 1 has 3; every row needs the same number" },
        { "nan.csv", "x,y\n1,2\n3,NaN\n", "nan.csv:3: column 2 (y): NaN is NaN; data must be finite" },
        { "word.csv", "1,2\n3,four\n", "word.csv:2: column 2: 'four' is not a number" },
        { "empty.csv", "a,b\n", "empty.csv: no rows of data" },
    };

    [Theory]
    [MemberData(nameof(BadCsv))]
    public void Bad_csv_rows_are_reported_with_file_line_and_column(string name, string content, string message)
    {
        var path = WriteText(name, content);

        var ex = Assert.Throws<DatasetException>(() => DataFiles.Load(new DataSource(path, TestFraction: 0.5), 0));

        Assert.Equal(Path.Combine(_dir, message), ex.Message);
    }

    [Fact]
    public void Bad_arrays_are_reported_with_what_is_wrong()
    {
        var nan = Write("nan.npy", NpyFiles.Float32([0f, 1f, float.NaN, 2f], 2, 2));
        var ints = Write("ints.npy", NpyFiles.Int64([1, 2], 1, 2));
        var bigEndian = Write("big.npy", NpyFiles.Array(">f4", [1, 1], new byte[4]));
        var fortran = Write("fortran.npy", NpyFiles.Array("<f4", [1, 1], new byte[4], fortran: true));
        var truncated = Write("short.npy", NpyFiles.Float32([1f, 2f, 3f], 2, 2)[..^12]);
        var vector = Write("vector.npy", NpyFiles.Float32([1f, 2f], 2));
        var huge = Write("huge.npy", NpyFiles.Float64([1e300], 1, 1));

        Assert.Equal($"{nan}: example 1, feature 0 is NaN; data must be finite", Load(nan));
        Assert.Equal($"{ints}: unsupported dtype '<i8' for data; use uint8, float32 or float64", Load(ints));
        Assert.StartsWith($"{bigEndian}: unsupported dtype '>f4'", Load(bigEndian));
        Assert.Equal($"{fortran}: the array is in Fortran order; save it in C order (numpy.ascontiguousarray)", Load(fortran));
        Assert.StartsWith($"{truncated}: truncated", Load(truncated));
        Assert.Equal($"{vector}: array of shape (2); data must be N×D, N×H×W or N×H×W×C", Load(vector));
        Assert.StartsWith($"{huge}: example 0, feature 0 is infinite (or beyond float32's range)", Load(huge));
        Assert.Equal($"{Path.Combine(_dir, "absent.npy")}: file does not exist", Load(Path.Combine(_dir, "absent.npy")));
        Assert.StartsWith($"{Path.Combine(_dir, "x.parquet")}: unsupported file type", Load(Write("x.parquet", [1])));
    }

    [Fact]
    public void Train_and_test_must_agree_in_width_and_the_hash_must_still_match()
    {
        var train = Write("a.npy", NpyFiles.Float32(Sequence(6), 2, 3));
        var test = Write("b.npy", NpyFiles.Float32(Sequence(4), 2, 2));

        var width = Assert.Throws<DatasetException>(() => DataFiles.Load(new DataSource(train, test), 0));
        var hash = DataFiles.Sha256(train);
        File.WriteAllBytes(train, NpyFiles.Float32(Sequence(6, 0.5f), 2, 3));
        var changed = Assert.Throws<DatasetException>(() => DataFiles.Load(new DataSource(train, TestFraction: 0.5, TrainSha256: hash), 0));

        Assert.Equal($"{test}: test examples are 2 features but the training file {train} has 3 features", width.Message);
        Assert.StartsWith($"{train}: the file changed since the sweep was specified", changed.Message);
    }

    private static string Load(string path) =>
        Assert.Throws<DatasetException>(() => DataFiles.Load(new DataSource(path, TestFraction: 0.5), 0)).Message;
}
