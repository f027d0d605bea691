using System.Globalization;
using nietras.SeparatedValues;

namespace VaeSweep.Model.Data;

/// <summary>
/// Reads a CSV of numbers, streaming row by row: one example per row, every field a finite number, optionally one
/// column of integer class labels. The first row is a header when any of its fields is not a number. Faults name
/// the file, the line and the column: a ragged row, a field that is not a number, NaN or an infinity.
/// </summary>
internal static class CsvTable
{
    /// <param name="labels">The label column: a 0-based index, a header name, "last", or null for none.</param>
    /// <param name="shape">The image shape of a row's features, or null for plain features.</param>
    public static ImageSet Read(TextReader text, string file, string? labels, DataShape? shape)
    {
        using var reader = Sep.New(',').Reader(o => o with { HasHeader = false, DisableColCountCheck = true, Unescape = true, Trim = SepTrim.All })
            .From(text);
        var values = new List<float>();
        var labelValues = new List<byte>();
        int width = -1, labelColumn = -1, firstLine = 0, count = 0;
        string[]? names = null;
        foreach (var row in reader)
        {
            // A row's last line: rows of numbers span one line, and Sep's LineNumberFrom is off by one on the first row.
            var line = row.LineNumberToExcl - 1;
            if (row.ColCount == 1 && row[0].Span.IsEmpty) continue;   // blank line
            if (width < 0)
            {
                width = row.ColCount;
                firstLine = line;
                if (!AllNumbers(row))
                {
                    names = new string[width];
                    for (var c = 0; c < width; c++) names[c] = row[c].ToString();
                    labelColumn = LabelColumn(labels, names, width, file, line);
                    continue;
                }
                labelColumn = LabelColumn(labels, null, width, file, line);
            }
            if (row.ColCount != width)
                throw new DatasetException($"{file}:{line}: {row.ColCount} fields, but line {firstLine} has {width}; every row needs the same number");
            for (var c = 0; c < width; c++)
            {
                var field = row[c].Span;
                if (!double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                    throw new DatasetException($"{file}:{line}: column {c + 1}{Named(names, c)}: '{field.ToString()}' is not a number");
                if (c == labelColumn)
                {
                    if (value is < 0 or > 255 || value != Math.Floor(value))
                        throw new DatasetException($"{file}:{line}: column {c + 1}{Named(names, c)}: label {field.ToString()} is not an integer in 0..255");
                    labelValues.Add((byte)value);
                    continue;
                }
                var single = (float)value;
                if (!float.IsFinite(single))
                    throw new DatasetException($"{file}:{line}: column {c + 1}{Named(names, c)}: {field.ToString()} is {(double.IsNaN(value) ? "NaN" : "not finite (as float32)")}; data must be finite");
                values.Add(single);
            }
            count++;
        }
        if (count == 0) throw new DatasetException($"{file}: no rows of data");
        var features = width - (labelColumn >= 0 ? 1 : 0);
        if (features < 1) throw new DatasetException($"{file}: no feature columns besides the labels");
        if (shape is { } s && s.Dimension != features)
            throw new DatasetException($"{file}: rows have {features} features but dataset.shape {s} needs {s.Dimension}");
        return ImageSet.FromValues(values.ToArray(), labelColumn >= 0 ? labelValues.ToArray() : null, count, shape ?? DataShape.Features(features));
    }

    private static bool AllNumbers(SepReader.Row row)
    {
        for (var c = 0; c < row.ColCount; c++)
            if (!double.TryParse(row[c].Span, NumberStyles.Float, CultureInfo.InvariantCulture, out _)) return false;
        return true;
    }

    private static int LabelColumn(string? labels, string[]? names, int width, string file, int line)
    {
        if (labels is null) return -1;
        if (labels == "last") return width - 1;
        if (labels == "first") return 0;
        if (int.TryParse(labels, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            return index < width ? index : throw new DatasetException($"{file}:{line}: dataset.labels column {index} is past the {width} columns (0-based)");
        var named = names is null ? -1 : Array.IndexOf(names, labels);
        return named >= 0 ? named : throw new DatasetException(names is null
            ? $"{file}: has no header, so dataset.labels must be a 0-based column index, first or last, not '{labels}'"
            : $"{file}:{line}: no column named '{labels}' for dataset.labels");
    }

    private static string Named(string[]? names, int column) => names is null ? "" : $" ({names[column]})";
}
