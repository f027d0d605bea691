using System.IO.Compression;
using VaeSweep.Model.Data;
using VaeSweep.Model.Tests.TestSupport;

namespace VaeSweep.Model.Tests.Data;

public class IdxDatasetTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Round_trips_raw_and_gzip_files(bool gzip)
    {
        using var files = new IdxFiles();
        files.WriteDataset(gzip, train: 5, test: 3, rows: 2, columns: 3);
        var (train, test) = IdxDataset.Load(files.Root);
        Assert.Equal((5, 2, 3), (train.Count, train.Rows, train.Columns));
        Assert.Equal((3, 2, 3), (test.Count, test.Rows, test.Columns));
        Assert.Equal(IdxFiles.Pixels(30, 1), train.Pixels.ToArray());
        Assert.Equal(IdxFiles.Pixels(5, 2), train.Labels.ToArray());
        Assert.Equal(IdxFiles.Pixels(18, 3), test.Pixels.ToArray());
        Assert.Equal(IdxFiles.Pixels(3, 4), test.Labels.ToArray());
        Assert.Equal(IdxFiles.Pixels(30, 1).AsSpan(6, 6).ToArray(), train.Image(1).ToArray());
    }

    [Fact]
    public void Raw_files_win_over_gzip_ones()
    {
        using var files = new IdxFiles();
        files.WriteDataset(gzip: true, train: 5);
        files.WriteDataset(gzip: false, train: 4);
        Assert.Equal(4, IdxDataset.Load(files.Root).Train.Count);
    }

    [Fact]
    public void Missing_directory_is_named()
    {
        var path = Path.Combine(Path.GetTempPath(), "vaesweep-no-such-dir-" + Guid.NewGuid().ToString("N"));
        var e = Assert.Throws<DatasetException>(() => IdxDataset.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("does not exist", e.Message);
    }

    [Fact]
    public void Missing_file_is_named()
    {
        using var files = new IdxFiles();
        files.WriteDataset(gzip: false);
        File.Delete(Path.Combine(files.Root, "t10k-labels-idx1-ubyte"));
        var e = Assert.Throws<DatasetException>(() => IdxDataset.Load(files.Root));
        Assert.Contains("t10k-labels-idx1-ubyte.gz", e.Message);
        Assert.Contains(files.Root, e.Message);
    }

    public static TheoryData<string, byte[], string> Corruptions => new()
    {
        { "train-images-idx3-ubyte", IdxFiles.Images(5, 2, 3, IdxFiles.Pixels(30, 1), magic: 0x801), "bad magic number 0x00000801" },
        { "train-labels-idx1-ubyte", IdxFiles.Labels(IdxFiles.Pixels(5, 2), magic: 0x803), "bad magic number 0x00000803" },
        { "train-images-idx3-ubyte", IdxFiles.Images(5, 2, 3, IdxFiles.Pixels(20, 1)), "truncated: expected 30 pixel bytes, found 20" },
        { "train-images-idx3-ubyte", IdxFiles.Images(5, 2, 3, IdxFiles.Pixels(30, 1))[..10], "truncated: expected a 16-byte IDX image header, found 10" },
        { "train-images-idx3-ubyte", IdxFiles.Images(5, 2, 3, IdxFiles.Pixels(31, 1)), "unexpected data after the 30 pixel bytes" },
        { "train-images-idx3-ubyte", IdxFiles.Images(0, 2, 3, []), "invalid dimensions 0 images of 2×3" },
        { "train-images-idx3-ubyte", IdxFiles.Images(2_000_000, 2_000, 2_000, []), "too large" },
        { "train-labels-idx1-ubyte", IdxFiles.Labels(IdxFiles.Pixels(4, 2)), "holds 4 labels but" },
        { "train-labels-idx1-ubyte", IdxFiles.Labels(IdxFiles.Pixels(4, 2), count: 5), "truncated: expected 5 label bytes, found 4" },
        { "t10k-images-idx3-ubyte", IdxFiles.Images(3, 3, 2, IdxFiles.Pixels(18, 3)), "training images are 2×3 but test images are 3×2" },
    };

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void Each_corruption_names_the_file_and_the_fault(string name, byte[] content, string fault)
    {
        foreach (var gzip in new[] { false, true })
        {
            using var files = new IdxFiles();
            files.WriteDataset(gzip);
            var path = files.Write(name, content, gzip);
            var e = Assert.Throws<DatasetException>(() => IdxDataset.Load(files.Root));
            Assert.Contains(fault, e.Message);
            // A fault between files names the directory; a fault inside a file names that file.
            Assert.Contains(fault.StartsWith("training images are", StringComparison.Ordinal) ? files.Root : path, e.Message);
        }
    }

    [Fact]
    public void Corrupt_gzip_stream_is_reported_with_its_path()
    {
        using var files = new IdxFiles();
        files.WriteDataset(gzip: true);
        var path = Path.Combine(files.Root, "train-images-idx3-ubyte.gz");
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..10].Concat(Enumerable.Repeat((byte)0xFF, 40)).ToArray());
        var e = Assert.Throws<DatasetException>(() => IdxDataset.Load(files.Root));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Truncated_gzip_stream_is_reported_with_its_path()
    {
        using var files = new IdxFiles();
        files.WriteDataset(gzip: true, train: 200, rows: 8, columns: 8);
        var path = Path.Combine(files.Root, "train-images-idx3-ubyte.gz");
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<DatasetException>(() => IdxDataset.Load(files.Root));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Gzip_helper_really_compresses()
    {
        // Guards the round-trip test above: the .gz files must be gzip, not raw bytes under a .gz name.
        using var files = new IdxFiles();
        var path = files.Write("x", new byte[1000], gzip: true);
        var head = File.ReadAllBytes(path)[..2];
        Assert.Equal(new byte[] { 0x1F, 0x8B }, head);
        using var zip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        Assert.Equal(1000, zip.ReadAtLeast(new byte[1001], 1001, throwOnEndOfStream: false));
    }
}
