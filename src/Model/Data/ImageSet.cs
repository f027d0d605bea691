namespace VaeSweep.Model.Data;

/// <summary>
/// Images as raw bytes, one shared copy per process (several trials read the same instance; nothing
/// writes to it after construction). Float conversion happens per batch.
/// </summary>
public sealed class ImageSet
{
    public ImageSet(byte[] pixels, byte[] labels, int count, int rows, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (pixels.Length != (long)count * rows * columns)
            throw new ArgumentException($"pixels: expected {count}×{rows}×{columns} bytes, got {pixels.Length}", nameof(pixels));
        if (labels.Length != count)
            throw new ArgumentException($"labels: expected {count}, got {labels.Length}", nameof(labels));
        Pixels = pixels;
        Labels = labels;
        Count = count;
        Rows = rows;
        Columns = columns;
    }

    /// <summary>[Count, Rows·Columns] row-major, 0..255.</summary>
    public ReadOnlyMemory<byte> Pixels { get; }

    /// <summary>[Count] class labels (unused by the VAE; kept for analysis).</summary>
    public ReadOnlyMemory<byte> Labels { get; }

    public int Count { get; }
    public int Rows { get; }
    public int Columns { get; }

    /// <summary>D, the flattened image size.</summary>
    public int Dimension => Rows * Columns;

    public ReadOnlySpan<byte> Image(int index) => Pixels.Span.Slice(index * Dimension, Dimension);
}
