namespace VaeSweep.Model.Data;

/// <summary>The shape of one example: an H×W×C image (C order, channels last) or, with IsImage false, 1×D features.</summary>
public readonly record struct DataShape(int Rows, int Columns, int Channels, bool IsImage)
{
    /// <summary>D features without an image shape.</summary>
    public static DataShape Features(int dimension) => new(1, dimension, 1, IsImage: false);

    public int Dimension => Rows * Columns * Channels;

    /// <summary>"HxWxC" for an image, null for plain features: the form <see cref="Parse"/> reads (and the wire carries).</summary>
    public string? Code => IsImage ? $"{Rows}x{Columns}x{Channels}" : null;

    /// <summary>The image shape of a <see cref="Code"/>; null for null.</summary>
    /// <exception cref="FormatException">Not "HxWxC" with positive sizes.</exception>
    public static DataShape? Parse(string? code)
    {
        if (code is null) return null;
        var parts = code.Split('x');
        if (parts.Length != 3 || !int.TryParse(parts[0], out var h) || !int.TryParse(parts[1], out var w) || !int.TryParse(parts[2], out var c)
            || h < 1 || w < 1 || c < 1)
            throw new FormatException($"image shape '{code}' is not HxWxC with positive sizes");
        return new DataShape(h, w, c, IsImage: true);
    }

    public override string ToString() => IsImage
        ? Channels == 1 ? $"{Rows}×{Columns}" : $"{Rows}×{Columns}×{Channels}"
        : $"{Dimension}";
}
