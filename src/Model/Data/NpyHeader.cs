using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace VaeSweep.Model.Data;

/// <summary>The element types the loaders accept from a NumPy array.</summary>
internal enum NpyType
{
    UInt8,
    Float32,
    Float64,
    /// <summary>Any little-endian or single-byte integer: labels only.</summary>
    Integer,
}

/// <summary>
/// The header of a NumPy .npy file (format versions 1 to 3): magic "\x93NUMPY", version, header length, then a
/// Python dict literal with 'descr', 'fortran_order' and 'shape'. Only C-order, little-endian (or byte) arrays are
/// read; anything else is a <see cref="DatasetException"/> naming the file and what it holds.
/// </summary>
internal sealed partial record NpyHeader(NpyType Type, int ElementSize, string Descr, long[] Shape)
{
    // Not a u8 literal: "\x93" there would be U+0093, two bytes in UTF-8.
    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex OrderPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();

    public long Elements => Shape.Aggregate(1L, (a, b) => a * b);

    public string ShapeText => $"({string.Join(", ", Shape)})";

    /// <summary>Reads the header and leaves <paramref name="stream"/> at the first element.</summary>
    /// <param name="file">How messages name the file (an .npz entry as archive:entry).</param>
    public static NpyHeader Read(Stream stream, string file)
    {
        Span<byte> prefix = stackalloc byte[10];
        if (stream.ReadAtLeast(prefix, 10, throwOnEndOfStream: false) < 10 || !prefix[..6].SequenceEqual(Magic))
            throw new DatasetException($"{file}: not a NumPy .npy file (no \\x93NUMPY magic)");
        var major = prefix[6];
        int length;
        if (major == 1)
        {
            length = BinaryPrimitives.ReadUInt16LittleEndian(prefix[8..]);
        }
        else if (major is 2 or 3)
        {
            Span<byte> rest = stackalloc byte[2];
            if (stream.ReadAtLeast(rest, 2, throwOnEndOfStream: false) < 2) throw new DatasetException($"{file}: truncated .npy header");
            length = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian([prefix[8], prefix[9], rest[0], rest[1]]), int.MaxValue);
        }
        else
        {
            throw new DatasetException($"{file}: .npy format version {major}.{prefix[7]} is not supported (1, 2 or 3)");
        }
        if (length > 1 << 20) throw new DatasetException($"{file}: .npy header of {length} bytes is implausibly long");
        var bytes = new byte[length];
        if (stream.ReadAtLeast(bytes, length, throwOnEndOfStream: false) < length) throw new DatasetException($"{file}: truncated .npy header");
        return Parse(Encoding.UTF8.GetString(bytes), file);
    }

    private static NpyHeader Parse(string text, string file)
    {
        var descr = DescrPattern().Match(text);
        var order = OrderPattern().Match(text);
        var shape = ShapePattern().Match(text);
        if (!descr.Success || !order.Success || !shape.Success)
            throw new DatasetException($"{file}: .npy header is not a dict with descr, fortran_order and shape: {text.Trim()}");
        if (order.Groups[1].Value == "True")
            throw new DatasetException($"{file}: the array is in Fortran order; save it in C order (numpy.ascontiguousarray)");
        var dims = new List<long>();
        foreach (var part in shape.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!long.TryParse(part.TrimEnd('L'), NumberStyles.None, CultureInfo.InvariantCulture, out var dim))
                throw new DatasetException($"{file}: .npy shape ({shape.Groups[1].Value}) is not a tuple of sizes");
            dims.Add(dim);
        }
        var code = descr.Groups[1].Value;
        var (type, size) = code switch
        {
            "|u1" or "<u1" or "u1" or "|B" => (NpyType.UInt8, 1),
            "<f4" => (NpyType.Float32, 4),
            "<f8" => (NpyType.Float64, 8),
            "|i1" or "<i1" or "i1" => (NpyType.Integer, 1),
            "<i2" or "<u2" => (NpyType.Integer, 2),
            "<i4" or "<u4" => (NpyType.Integer, 4),
            "<i8" or "<u8" => (NpyType.Integer, 8),
            _ => throw new DatasetException(
                $"{file}: unsupported dtype '{code}'; data must be uint8, float32 or float64 (little-endian), labels an integer type"),
        };
        return new NpyHeader(type, size, code, dims.ToArray());
    }
}
