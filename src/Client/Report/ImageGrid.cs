using System.Runtime.InteropServices;
using SkiaSharp;

namespace VaeSweep.Client.Report;

/// <summary>
/// Tiles images into one grey PNG (SkiaSharp encodes it), each pixel drawn as a <see cref="Scale"/>-pixel
/// square with a dark gap between tiles, for an &lt;img&gt; data URI. Values map linearly from [low, high] to black..white;
/// an image of several channels is drawn as their mean.
/// </summary>
internal static class ImageGrid
{
    public const int Scale = 2;
    public const int Gap = 2;
    public const int MaxColumns = 8;

    /// <summary>Width and height in pixels of the grid for <paramref name="count"/> images of rows × columns.</summary>
    public static (int Width, int Height) Size(int count, int rows, int columns)
    {
        var across = Math.Min(MaxColumns, count);
        var down = (count + MaxColumns - 1) / MaxColumns;
        return (across * (columns * Scale + Gap) + Gap, down * (rows * Scale + Gap) + Gap);
    }

    /// <param name="images">[count, rows·columns·channels] values in [low, high] (clamped), channels last.</param>
    public static byte[] Png(ReadOnlySpan<float> images, int count, int rows, int columns, int channels = 1, float low = 0, float high = 1)
    {
        var d = rows * columns * channels;
        if (count < 1 || images.Length != count * d)
            throw new ArgumentException($"images: expected {count} images of {rows}×{columns}×{channels}, got {images.Length} values", nameof(images));
        if (!(high > low)) throw new ArgumentException($"high ({high}) must exceed low ({low})", nameof(high));
        var (width, height) = Size(count, rows, columns);
        var pixels = new byte[width * height];
        Array.Fill(pixels, (byte)40);
        for (var n = 0; n < count; n++)
        {
            int left = Gap + n % MaxColumns * (columns * Scale + Gap), top = Gap + n / MaxColumns * (rows * Scale + Gap);
            for (var r = 0; r < rows; r++)
                for (var c = 0; c < columns; c++)
                {
                    var at = n * d + (r * columns + c) * channels;
                    var sum = 0f;
                    for (var k = 0; k < channels; k++) sum += images[at + k];
                    var grey = (byte)Math.Round(255 * Math.Clamp((sum / channels - low) / (high - low), 0f, 1f));
                    for (var dy = 0; dy < Scale; dy++)
                        pixels.AsSpan((top + r * Scale + dy) * width + left + c * Scale, Scale).Fill(grey);
                }
        }

        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque));
        for (var y = 0; y < height; y++)
            Marshal.Copy(pixels, y * width, bitmap.GetPixels() + y * bitmap.RowBytes, width);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100)
            ?? throw new InvalidOperationException($"SkiaSharp could not encode a {width}×{height} grey PNG");
        return data.ToArray();
    }
}
