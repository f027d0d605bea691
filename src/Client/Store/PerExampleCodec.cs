using System.Buffers.Binary;

namespace VaeSweep.Client.Store;

/// <summary>
/// evaluations.per_example: float64 values, little-endian, back to back, whatever the host's byte order,
/// so a database copied between machines (or read by numpy.frombuffer(dtype='&lt;f8')) means the same.
/// </summary>
internal static class PerExampleCodec
{
    public static byte[] Encode(ReadOnlySpan<double> values)
    {
        var bytes = new byte[values.Length * sizeof(double)];
        for (var i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(i * sizeof(double)), values[i]);
        return bytes;
    }

    public static double[] Decode(byte[]? bytes, string where)
    {
        if (bytes is null || bytes.Length == 0) return [];
        if (bytes.Length % sizeof(double) != 0)
            throw new ResultsStoreException(
                $"{where}: per_example holds {bytes.Length} bytes, not a whole number of float64 values");
        var values = new double[bytes.Length / sizeof(double)];
        for (var i = 0; i < values.Length; i++)
            values[i] = BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(i * sizeof(double)));
        return values;
    }
}
