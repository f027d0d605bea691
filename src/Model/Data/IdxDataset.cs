using System.Buffers.Binary;
using System.IO.Compression;

namespace VaeSweep.Model.Data;

/// <summary>Loads the four IDX files of an MNIST-family directory (.gz or raw).</summary>
/// <remarks>
/// IDX: a big-endian header (magic 0x00000803 + count, rows, columns for images; 0x00000801 + count for labels)
/// followed by exactly count·rows·columns (or count) unsigned bytes. When both a raw and a .gz file exist the
/// raw one is read. Anything missing, short, long or inconsistent is a <see cref="DatasetException"/> that names the file.
/// </remarks>
public static class IdxDataset
{
    private const int ImageMagic = 0x00000803;
    private const int LabelMagic = 0x00000801;

    /// <summary>Reads train-images/labels and t10k-images/labels from <paramref name="directory"/>.</summary>
    /// <exception cref="DatasetException">A file is missing or corrupt; the message names the file and the fault.</exception>
    public static (ImageSet Train, ImageSet Test) Load(string directory)
    {
        if (!Directory.Exists(directory))
            throw new DatasetException($"{directory}: dataset directory does not exist");
        var train = LoadPair(directory, "train");
        var test = LoadPair(directory, "t10k");
        if (train.Rows != test.Rows || train.Columns != test.Columns)
            throw new DatasetException($"{directory}: training images are {train.Rows}×{train.Columns} but test images are {test.Rows}×{test.Columns}");
        return (train, test);
    }

    private static ImageSet LoadPair(string directory, string prefix)
    {
        var imagePath = Find(directory, $"{prefix}-images-idx3-ubyte");
        var labelPath = Find(directory, $"{prefix}-labels-idx1-ubyte");
        var (pixels, count, rows, columns) = ReadImages(imagePath);
        var labels = ReadLabels(labelPath);
        if (labels.Length != count)
            throw new DatasetException($"{labelPath}: holds {labels.Length} labels but {imagePath} holds {count} images");
        return new ImageSet(pixels, labels, count, rows, columns);
    }

    private static string Find(string directory, string name)
    {
        var raw = Path.Combine(directory, name);
        if (File.Exists(raw)) return raw;
        var gz = raw + ".gz";
        if (File.Exists(gz)) return gz;
        throw new DatasetException($"{directory}: neither {name} nor {name}.gz exists");
    }

    private static (byte[] Pixels, int Count, int Rows, int Columns) ReadImages(string path) => Read(path, stream =>
    {
        Span<byte> header = stackalloc byte[16];
        ReadHeader(stream, header, path, "image");
        CheckMagic(header, ImageMagic, path, "images");
        var count = BinaryPrimitives.ReadInt32BigEndian(header[4..]);
        var rows = BinaryPrimitives.ReadInt32BigEndian(header[8..]);
        var columns = BinaryPrimitives.ReadInt32BigEndian(header[12..]);
        if (count < 1 || rows < 1 || columns < 1)
            throw new DatasetException($"{path}: invalid dimensions {count} images of {rows}×{columns}");
        var total = (long)count * rows * columns;
        if (total > Array.MaxLength)
            throw new DatasetException($"{path}: {count} images of {rows}×{columns} ({total} bytes) is too large to load");
        return (ReadBody(stream, (int)total, path, "pixel"), count, rows, columns);
    });

    private static byte[] ReadLabels(string path) => Read(path, stream =>
    {
        Span<byte> header = stackalloc byte[8];
        ReadHeader(stream, header, path, "label");
        CheckMagic(header, LabelMagic, path, "labels");
        var count = BinaryPrimitives.ReadInt32BigEndian(header[4..]);
        if (count < 1) throw new DatasetException($"{path}: invalid label count {count}");
        return ReadBody(stream, count, path, "label");
    });

    private static T Read<T>(string path, Func<Stream, T> parse)
    {
        try
        {
            using var file = File.OpenRead(path);
            using var stream = path.EndsWith(".gz", StringComparison.Ordinal)
                ? new GZipStream(file, CompressionMode.Decompress)
                : (Stream)file;
            return parse(stream);
        }
        catch (InvalidDataException e)
        {
            throw new DatasetException($"{path}: not a valid gzip file: {e.Message}", e);
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

    private static void ReadHeader(Stream stream, Span<byte> header, string path, string kind)
    {
        var read = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        if (read < header.Length)
            throw new DatasetException($"{path}: truncated: expected a {header.Length}-byte IDX {kind} header, found {read} bytes");
    }

    private static void CheckMagic(ReadOnlySpan<byte> header, int expected, string path, string kind)
    {
        var magic = BinaryPrimitives.ReadInt32BigEndian(header);
        if (magic != expected)
            throw new DatasetException($"{path}: bad magic number 0x{magic:X8}, expected 0x{expected:X8} for IDX {kind}");
    }

    private static byte[] ReadBody(Stream stream, int length, string path, string kind)
    {
        var body = new byte[length];
        var read = stream.ReadAtLeast(body, length, throwOnEndOfStream: false);
        if (read < length)
            throw new DatasetException($"{path}: truncated: expected {length} {kind} bytes, found {read}");
        Span<byte> probe = stackalloc byte[1];
        if (stream.Read(probe) > 0)
            throw new DatasetException($"{path}: unexpected data after the {length} {kind} bytes the header announces");
        return body;
    }
}
