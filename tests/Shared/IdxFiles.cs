using System.Buffers.Binary;
using System.IO.Compression;

namespace VaeSweep.Tests.Shared;

/// <summary>
/// Writes a small MNIST-family directory (the four gzipped IDX files) of smooth random blobs, so
/// end-to-end tests train on real files without the real dataset.
/// </summary>
internal static class IdxFiles
{
    public static string Write(string directory, int train = 240, int test = 40, int side = 6, int seed = 7)
    {
        Directory.CreateDirectory(directory);
        var rng = new Random(seed);
        WriteSet(directory, "train", train, side, rng);
        WriteSet(directory, "t10k", test, side, rng);
        return directory;
    }

    private static void WriteSet(string directory, string prefix, int count, int side, Random rng)
    {
        var pixels = new byte[count * side * side];
        var labels = new byte[count];
        for (var n = 0; n < count; n++)
        {
            // One bright blob per image, so there is structure for a 2-D latent to find.
            double cx = rng.Next(side), cy = rng.Next(side);
            labels[n] = (byte)(cx + cy * side);
            for (var y = 0; y < side; y++)
            for (var x = 0; x < side; x++)
                pixels[n * side * side + y * side + x] = (byte)(255 * Math.Exp(-((x - cx) * (x - cx) + (y - cy) * (y - cy)) / 2.0));
        }

        Write(Path.Combine(directory, $"{prefix}-images-idx3-ubyte.gz"), 0x803, [count, side, side], pixels);
        Write(Path.Combine(directory, $"{prefix}-labels-idx1-ubyte.gz"), 0x801, [count], labels);
    }

    private static void Write(string path, int magic, int[] dims, byte[] data)
    {
        using var file = File.Create(path);
        using var gz = new GZipStream(file, CompressionLevel.Fastest);
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, magic);
        gz.Write(word);
        foreach (var d in dims)
        {
            BinaryPrimitives.WriteInt32BigEndian(word, d);
            gz.Write(word);
        }

        gz.Write(data);
    }
}
