namespace VaeSweep.Model.Data;

/// <summary>
/// A data file's examples, one shared copy per process (several trials read the same instance; nothing
/// writes to it after construction). Stored as bytes (0..255, IDX and uint8 arrays, scaled by 1/255 per batch)
/// or as floats (float32/float64 arrays and CSV, used as given); conversion to model inputs happens per batch.
/// </summary>
/// <remarks>
/// Every example is a row of <see cref="Dimension"/> = <see cref="Rows"/>·<see cref="Columns"/>·<see cref="Channels"/>
/// values in C order. Data without an image shape (a CSV row, an N×D array) is 1 row of D columns with
/// <see cref="IsImage"/> false. A <see cref="Standardization"/>, when set, is applied after scaling: views made by
/// <see cref="WithStandardization"/> share the storage.
/// </remarks>
public sealed class ImageSet
{
    /// <summary>Grey images as bytes with a label each: the IDX form.</summary>
    public ImageSet(byte[] pixels, byte[] labels, int count, int rows, int columns)
        : this(pixels, null, labels, count, new DataShape(rows, columns, 1, IsImage: true), null)
    {
    }

    private ImageSet(byte[]? pixels, float[]? values, byte[]? labels, int count, DataShape shape, Standardization? standardization)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var length = (long)count * shape.Dimension;
        if (pixels is not null && pixels.Length != length)
            throw new ArgumentException($"pixels: expected {count}×{shape} values, got {pixels.Length}", nameof(pixels));
        if (values is not null && values.Length != length)
            throw new ArgumentException($"values: expected {count}×{shape} values, got {values.Length}", nameof(values));
        if (labels is not null && labels.Length != count)
            throw new ArgumentException($"labels: expected {count}, got {labels.Length}", nameof(labels));
        if (standardization is not null && standardization.Dimension != shape.Dimension)
            throw new ArgumentException($"standardization: {standardization.Dimension} features for {shape.Dimension}-value examples", nameof(standardization));
        Pixels = pixels ?? [];
        Values = values ?? [];
        IsFloat = values is not null;
        HasLabels = labels is not null;
        Labels = labels ?? new byte[count];
        Count = count;
        Shape = shape;
        Standardization = standardization;
    }

    /// <summary>Examples of bytes 0..255 (a uint8 array), model input byte/255.</summary>
    /// <param name="labels">One class label per example, or null when the data has none.</param>
    public static ImageSet FromBytes(byte[] pixels, byte[]? labels, int count, DataShape shape) =>
        new(pixels, null, labels, count, shape, null);

    /// <summary>Examples of floats, used as given (finite: the loaders reject NaN and infinities).</summary>
    /// <param name="labels">One class label per example, or null when the data has none.</param>
    public static ImageSet FromValues(float[] values, byte[]? labels, int count, DataShape shape) =>
        new(null, values, labels, count, shape, null);

    /// <summary>[Count, D] row-major bytes 0..255; empty when <see cref="IsFloat"/>.</summary>
    public ReadOnlyMemory<byte> Pixels { get; }

    /// <summary>[Count, D] row-major floats; empty unless <see cref="IsFloat"/>.</summary>
    public ReadOnlyMemory<float> Values { get; }

    /// <summary>Whether the examples are floats used as given rather than bytes scaled to [0, 1].</summary>
    public bool IsFloat { get; }

    /// <summary>[Count] class labels (unused by the VAE; the report colours its latent scatter by them); zeros when <see cref="HasLabels"/> is false.</summary>
    public ReadOnlyMemory<byte> Labels { get; }

    public bool HasLabels { get; }

    public int Count { get; }

    public DataShape Shape { get; }

    public int Rows => Shape.Rows;

    public int Columns => Shape.Columns;

    public int Channels => Shape.Channels;

    /// <summary>Whether the examples are images (IDX, or arrays of N×H×W or N×H×W×C, or a CSV with a shape).</summary>
    public bool IsImage => Shape.IsImage;

    /// <summary>D, the flattened example size.</summary>
    public int Dimension => Shape.Dimension;

    /// <summary>Per-feature z-scoring applied to every batch drawn from this set, or null.</summary>
    public Standardization? Standardization { get; }

    /// <summary>The same examples (shared, not copied) z-scored by <paramref name="standardization"/>.</summary>
    public ImageSet WithStandardization(Standardization standardization) =>
        new(IsFloat ? null : (byte[])ArrayOf(Pixels), IsFloat ? (float[])ArrayOf(Values) : null, HasLabels ? (byte[])ArrayOf(Labels) : null,
            Count, Shape, standardization);

    public ReadOnlySpan<byte> Image(int index) => Pixels.Span.Slice(index * Dimension, Dimension);

    public ReadOnlySpan<float> Row(int index) => Values.Span.Slice(index * Dimension, Dimension);

    /// <summary>The examples at <paramref name="indices"/>, in that order, as a new set (copied).</summary>
    public ImageSet Select(IReadOnlyList<int> indices)
    {
        var d = Dimension;
        byte[]? labels = HasLabels ? new byte[indices.Count] : null;
        for (var i = 0; i < indices.Count; i++)
            if (labels is not null) labels[i] = Labels.Span[indices[i]];
        if (IsFloat)
        {
            var values = new float[(long)indices.Count * d];
            for (var i = 0; i < indices.Count; i++) Row(indices[i]).CopyTo(values.AsSpan(i * d, d));
            return new ImageSet(null, values, labels, indices.Count, Shape, Standardization);
        }
        var pixels = new byte[(long)indices.Count * d];
        for (var i = 0; i < indices.Count; i++) Image(indices[i]).CopyTo(pixels.AsSpan(i * d, d));
        return new ImageSet(pixels, null, labels, indices.Count, Shape, Standardization);
    }

    // The memories wrap whole arrays made by this class, so the array is always there to share.
    private static T[] ArrayOf<T>(ReadOnlyMemory<T> memory) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(memory, out var segment) ? segment.Array! : memory.ToArray();
}
