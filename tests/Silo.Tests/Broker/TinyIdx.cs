using System.Buffers.Binary;

namespace VaeSweep.Silo.Tests.Broker;

/// <summary>
/// A tiny MNIST-shaped dataset written to a temp directory: the four IDX files, 8×8 images with a
/// seeded pattern (a bright square at a position set by the label, plus noise), so real trials run in
/// well under a second.
/// </summary>
internal sealed class TinyIdx : IDisposable
{
    public const int Side = 8;

    public TinyIdx(int train = 300, int test = 50, int seed = 5)
    {
        Directory = Path.Combine(Path.GetTempPath(), $"vaesweep-idx-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(Directory);
        var random = new Random(seed);
        Write("train", train, random);
        Write("t10k", test, random);
    }

    public string Directory { get; }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);

    private void Write(string prefix, int count, Random random)
    {
        var labels = new byte[count];
        var pixels = new byte[count * Side * Side];
        for (var i = 0; i < count; i++)
        {
            labels[i] = (byte)random.Next(10);
            var (top, left) = (labels[i] % 4, labels[i] / 4 * 2);
            for (var p = 0; p < Side * Side; p++)
            {
                var (r, c) = (p / Side, p % Side);
                var inside = r >= top && r < top + 4 && c >= left && c < left + 4;
                pixels[i * Side * Side + p] = (byte)Math.Clamp((inside ? 200 : 20) + random.Next(-20, 21), 0, 255);
            }
        }

        File.WriteAllBytes(Path.Combine(Directory, $"{prefix}-images-idx3-ubyte"), [.. Header(0x00000803, count, Side, Side), .. pixels]);
        File.WriteAllBytes(Path.Combine(Directory, $"{prefix}-labels-idx1-ubyte"), [.. Header(0x00000801, count), .. labels]);
    }

    private static byte[] Header(params int[] fields)
    {
        var header = new byte[4 * fields.Length];
        for (var i = 0; i < fields.Length; i++)
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 * i), fields[i]);
        return header;
    }
}
