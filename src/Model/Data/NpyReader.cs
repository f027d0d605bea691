using System.Buffers.Binary;

namespace VaeSweep.Model.Data;

/// <summary>
/// Streams the body of a .npy array (after <see cref="NpyHeader"/>) straight into the set's storage, a chunk at a
/// time: uint8 stays bytes, float32 and float64 become floats. Every value is checked finite as it passes, so a NaN
/// is reported with its example and feature, and nothing past the announced size may follow.
/// </summary>
internal static class NpyReader
{
    private const int ChunkBytes = 1 << 16;

    /// <summary>Data: N×D, N×H×W or N×H×W×C.</summary>
    public static ImageSet ReadData(Stream stream, string file, byte[]? labels)
    {
        var header = NpyHeader.Read(stream, file);
        if (header.Type == NpyType.Integer)
            throw new DatasetException($"{file}: unsupported dtype '{header.Descr}' for data; use uint8, float32 or float64");
        var shape = header.Shape switch
        {
            [_, var d] => DataShape.Features(Size(d, header, file)),
            [_, var h, var w] => new DataShape(Size(h, header, file), Size(w, header, file), 1, IsImage: true),
            [_, var h, var w, var c] => new DataShape(Size(h, header, file), Size(w, header, file), Size(c, header, file), IsImage: true),
            _ => throw new DatasetException($"{file}: array of shape {header.ShapeText}; data must be N×D, N×H×W or N×H×W×C"),
        };
        var count = Size(header.Shape[0], header, file);
        if (count < 1 || shape.Dimension < 1) throw new DatasetException($"{file}: array of shape {header.ShapeText} holds no values");
        var total = (long)count * shape.Dimension;
        if (total > Array.MaxLength || (long)shape.Rows * shape.Columns * shape.Channels > int.MaxValue)
            throw new DatasetException($"{file}: array of shape {header.ShapeText} is too large to load");
        if (labels is not null && labels.Length != count)
            throw new DatasetException($"{file}: {count} examples but {labels.Length} labels");
        if (header.Type == NpyType.UInt8)
        {
            var pixels = new byte[total];
            ReadExactly(stream, pixels, file, header);
            ExpectEnd(stream, file, header);
            return ImageSet.FromBytes(pixels, labels, count, shape);
        }
        var values = new float[total];
        var buffer = new byte[ChunkBytes - ChunkBytes % header.ElementSize];
        long at = 0;
        while (at < total)
        {
            var want = (int)Math.Min(buffer.Length, (total - at) * header.ElementSize);
            if (stream.ReadAtLeast(buffer, want, throwOnEndOfStream: false) < want)
                throw Truncated(file, header);
            var n = want / header.ElementSize;
            for (var i = 0; i < n; i++)
            {
                var value = header.Type == NpyType.Float32
                    ? BinaryPrimitives.ReadSingleLittleEndian(buffer.AsSpan(i * 4))
                    : (float)BinaryPrimitives.ReadDoubleLittleEndian(buffer.AsSpan(i * 8));
                if (!float.IsFinite(value)) throw NotFinite(file, at + i, shape, value, header);
                values[at + i] = value;
            }
            at += n;
        }
        ExpectEnd(stream, file, header);
        return ImageSet.FromValues(values, labels, count, shape);
    }

    /// <summary>Labels: one integer 0..255 per example, shape (N,).</summary>
    public static byte[] ReadLabels(Stream stream, string file)
    {
        var header = NpyHeader.Read(stream, file);
        if (header.Type is NpyType.Float32 or NpyType.Float64)
            throw new DatasetException($"{file}: labels of dtype '{header.Descr}'; labels must be integers");
        if (header.Shape.Length != 1 || header.Shape[0] < 1)
            throw new DatasetException($"{file}: labels of shape {header.ShapeText}; labels must be one integer per example, shape (N,)");
        var count = Size(header.Shape[0], header, file);
        var raw = new byte[(long)count * header.ElementSize];
        ReadExactly(stream, raw, file, header);
        ExpectEnd(stream, file, header);
        var labels = new byte[count];
        var signed = header.Descr.Contains('i');
        for (var i = 0; i < count; i++)
        {
            var span = raw.AsSpan(i * header.ElementSize, header.ElementSize);
            long value = header.ElementSize switch
            {
                1 => signed ? (sbyte)span[0] : span[0],
                2 => signed ? BinaryPrimitives.ReadInt16LittleEndian(span) : BinaryPrimitives.ReadUInt16LittleEndian(span),
                4 => signed ? BinaryPrimitives.ReadInt32LittleEndian(span) : BinaryPrimitives.ReadUInt32LittleEndian(span),
                _ => signed ? BinaryPrimitives.ReadInt64LittleEndian(span) : (long)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(span), long.MaxValue),
            };
            if (value is < 0 or > 255) throw new DatasetException($"{file}: label {value} of example {i} is outside 0..255");
            labels[i] = (byte)value;
        }
        return labels;
    }

    private static int Size(long dim, NpyHeader header, string file) =>
        dim is >= 0 and <= int.MaxValue ? (int)dim : throw new DatasetException($"{file}: array of shape {header.ShapeText} is too large to load");

    private static void ReadExactly(Stream stream, Span<byte> target, string file, NpyHeader header)
    {
        if (stream.ReadAtLeast(target, target.Length, throwOnEndOfStream: false) < target.Length) throw Truncated(file, header);
    }

    private static void ExpectEnd(Stream stream, string file, NpyHeader header)
    {
        Span<byte> probe = stackalloc byte[1];
        if (stream.Read(probe) > 0)
            throw new DatasetException($"{file}: unexpected data after the {header.Elements} values of shape {header.ShapeText}");
    }

    private static DatasetException Truncated(string file, NpyHeader header) =>
        new($"{file}: truncated: fewer than the {header.Elements} values of shape {header.ShapeText} the header announces");

    private static DatasetException NotFinite(string file, long index, DataShape shape, float value, NpyHeader header)
    {
        var what = float.IsNaN(value) ? "NaN" : header.Type == NpyType.Float64 ? "infinite (or beyond float32's range)" : "infinite";
        return new DatasetException($"{file}: example {index / shape.Dimension}, feature {index % shape.Dimension} is {what}; data must be finite");
    }
}
