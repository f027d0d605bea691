using System.Globalization;
using System.Text;
using VaeSweep.Client.Store;

namespace VaeSweep.Client.Ranking;

/// <summary>
/// An aligned plain-text table for terminals: numbers right-aligned with six significant digits, text
/// left-aligned, blobs summarised by size, nulls blank.
/// </summary>
internal static class PlainTable
{
    public static string Format(QueryResult result)
    {
        var cells = result.Rows.Select(row => row.Select(Display).ToArray()).ToList();
        var numeric = Enumerable.Range(0, result.Columns.Count)
            .Select(c => result.Rows.Any(r => IsNumber(r[c])) && result.Rows.All(r => r[c] is null || IsNumber(r[c])))
            .ToArray();
        var widths = Enumerable.Range(0, result.Columns.Count)
            .Select(c => cells.Select(r => r[c].Length).Append(result.Columns[c].Length).Max())
            .ToArray();

        var text = new StringBuilder();
        AppendLine(text, result.Columns.ToArray(), widths, numeric);
        AppendLine(text, widths.Select(w => new string('-', w)).ToArray(), widths, numeric);
        foreach (var row in cells) AppendLine(text, row, widths, numeric);
        if (result.Truncated) text.Append("(more rows not shown)").Append('\n');
        return text.ToString();
    }

    private static void AppendLine(StringBuilder text, string[] cells, int[] widths, bool[] numeric)
    {
        for (var c = 0; c < cells.Length; c++)
        {
            if (c > 0) text.Append("  ");
            text.Append(numeric[c] ? cells[c].PadLeft(widths[c]) : cells[c].PadRight(widths[c]));
        }
        // Trailing padding helps nobody and makes golden output fragile.
        var end = text.Length;
        while (end > 0 && text[end - 1] == ' ') end--;
        text.Length = end;
        text.Append('\n');
    }

    private static bool IsNumber(object? value) => value is double or float or long or int or short or byte or decimal or ShownNumber;

    private static string Display(object? value) => value switch
    {
        null => "",
        ShownNumber shown => shown.Text,
        double d => d.ToString("G6", CultureInfo.InvariantCulture),
        float f => f.ToString("G6", CultureInfo.InvariantCulture),
        byte[] bytes => $"<blob {bytes.Length} bytes>",
        _ => ResultFormatter.ExactText(value),
    };
}
