using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace VaeSweep.Tests.Shared;

/// <summary>
/// Writes NumPy .npy bytes and .npz archives exactly as numpy.save / numpy.savez do (format 1.0: magic, version,
/// little-endian header length, a dict literal padded with spaces to a multiple of 64 bytes, then the raw C-order data),
/// so the loaders are tested on the real format without Python.
/// </summary>
internal static class NpyFiles
{
    public static byte[] Float32(float[] values, params int[] shape) =>
        Array("<f4", shape, values.SelectMany(v => { var b = new byte[4]; BinaryPrimitives.WriteSingleLittleEndian(b, v); return b; }).ToArray());

    public static byte[] Float64(double[] values, params int[] shape) =>
        Array("<f8", shape, values.SelectMany(v => { var b = new byte[8]; BinaryPrimitives.WriteDoubleLittleEndian(b, v); return b; }).ToArray());

    public static byte[] UInt8(byte[] values, params int[] shape) => Array("|u1", shape, values);

    public static byte[] Int64(long[] values, params int[] shape) =>
        Array("<i8", shape, values.SelectMany(v => { var b = new byte[8]; BinaryPrimitives.WriteInt64LittleEndian(b, v); return b; }).ToArray());

    /// <summary>Any header and body, for malformed files.</summary>
    public static byte[] Array(string descr, int[] shape, byte[] body, bool fortran = false)
    {
        var dims = shape.Length == 1 ? $"({shape[0]},)" : $"({string.Join(", ", shape.Select(s => s.ToString(CultureInfo.InvariantCulture)))})";
        var dict = $"{{'descr': '{descr}', 'fortran_order': {(fortran ? "True" : "False")}, 'shape': {dims}, }}";
        var unpadded = 10 + dict.Length + 1;
        var header = dict + new string(' ', (64 - unpadded % 64) % 64) + "\n";
        using var stream = new MemoryStream();
        stream.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y']);
        stream.WriteByte(1);
        stream.WriteByte(0);
        Span<byte> length = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(length, (ushort)header.Length);
        stream.Write(length);
        stream.Write(Encoding.ASCII.GetBytes(header));
        stream.Write(body);
        return stream.ToArray();
    }

    /// <summary>An .npz: each array as name.npy in a zip, deflated as numpy.savez_compressed does.</summary>
    public static void WriteNpz(string path, params (string Name, byte[] Npy)[] arrays)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (name, npy) in arrays)
        {
            using var entry = zip.CreateEntry(name + ".npy", CompressionLevel.Optimal).Open();
            entry.Write(npy);
        }
    }

    public static void WriteGzip(string path, byte[] content)
    {
        using var file = File.Create(path);
        using var gz = new GZipStream(file, CompressionLevel.Fastest);
        gz.Write(content);
    }
}
