using SkiaSharp;

namespace VaeSweep.Client.Tests.Report;

/// <summary>Whether an area of a screenshot holds a drawing: how many colours it has, and what share of its pixels differ from its most common colour.</summary>
internal static class PlotInk
{
    public static (int Distinct, double Inked) Measure(SKBitmap image, double x, double y, double w, double h)
    {
        var counts = new Dictionary<SKColor, int>();
        int left = (int)Math.Round(x), top = (int)Math.Round(y), right = Math.Min(image.Width, left + (int)w), bottom = Math.Min(image.Height, top + (int)h);
        for (var j = top; j < bottom; j++)
            for (var i = left; i < right; i++)
            {
                var c = image.GetPixel(i, j);
                counts[c] = counts.GetValueOrDefault(c) + 1;
            }
        var total = counts.Values.Sum();
        return total == 0 ? (0, 0) : (counts.Count, 1 - counts.Values.Max() / (double)total);
    }
}
