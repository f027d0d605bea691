using System.Buffers.Binary;
using System.IO.Compression;

namespace VaeSweep.Model.Tests.TestSupport;

/// <summary>Writes IDX files (raw or gzip) into a temporary directory that is deleted on dispose.</summary>
internal sealed class IdxFiles : IDisposable
{
    public IdxFiles() => Directory.CreateDirectory(Root);

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "vaesweep-idx-" + Guid.NewGuid().ToString("N"));

    public static byte[] Images(int count, int rows, int columns, byte[] pixels, int magic = 0x803)
    {
        var bytes = new byte[16 + pixels.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), count);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8), rows);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(12), columns);
        pixels.CopyTo(bytes, 16);
        return bytes;
    }

    public static byte[] Labels(byte[] labels, int magic = 0x801, int? count = null)
    {
        var bytes = new byte[8 + labels.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), count ?? labels.Length);
        labels.CopyTo(bytes, 8);
        return bytes;
    }

    /// <summary>Writes <paramref name="name"/> (adding .gz and compressing when <paramref name="gzip"/>); returns its path.</summary>
    public string Write(string name, byte[] content, bool gzip)
    {
        var path = Path.Combine(Root, gzip ? name + ".gz" : name);
        if (gzip)
        {
            using var file = File.Create(path);
            using var zip = new GZipStream(file, CompressionLevel.Fastest);
            zip.Write(content);
        }
        else File.WriteAllBytes(path, content);
        return path;
    }

    /// <summary>A complete, valid dataset: <paramref name="train"/> and <paramref name="test"/> images of rows×columns.</summary>
    public void WriteDataset(bool gzip, int train = 5, int test = 3, int rows = 2, int columns = 3)
    {
        Write("train-images-idx3-ubyte", Images(train, rows, columns, Pixels(train * rows * columns, 1)), gzip);
        Write("train-labels-idx1-ubyte", Labels(Pixels(train, 2)), gzip);
        Write("t10k-images-idx3-ubyte", Images(test, rows, columns, Pixels(test * rows * columns, 3)), gzip);
        Write("t10k-labels-idx1-ubyte", Labels(Pixels(test, 4)), gzip);
    }

    public static byte[] Pixels(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
    }
}
