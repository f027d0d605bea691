using System.Globalization;
using VaeSweep.Client.Store;

namespace VaeSweep.Client.Ranking;

/// <summary>Writes a result set (a query's or a ranking's) in the chosen <see cref="OutputFormat"/>.</summary>
public static class ResultFormatter
{
    public static string Format(QueryResult result, OutputFormat format) => format switch
    {
        OutputFormat.Table => PlainTable.Format(result),
        OutputFormat.Json => JsonRows.Format(result),
        OutputFormat.Csv => CsvRows.Format(result),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown output format"),
    };

    /// <summary>Parses "table", "json" or "csv" (any case).</summary>
    /// <exception cref="ArgumentException">Anything else, naming the allowed values.</exception>
    public static OutputFormat ParseFormat(string text) => text.Trim().ToLowerInvariant() switch
    {
        "table" => OutputFormat.Table,
        "json" => OutputFormat.Json,
        "csv" => OutputFormat.Csv,
        _ => throw new ArgumentException($"output format: expected table, json or csv, got '{text}'", nameof(text)),
    };

    /// <summary>
    /// A value as round-trippable invariant text: doubles in their shortest exact form ("NaN", "Infinity"
    /// for non-finite), booleans as true/false, blobs as base64, null as empty.
    /// </summary>
    internal static string ExactText(object? value) => value switch
    {
        null => "",
        double d when double.IsNaN(d) => "NaN",
        double d when double.IsPositiveInfinity(d) => "Infinity",
        double d when double.IsNegativeInfinity(d) => "-Infinity",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => ExactText((double)f),
        bool b => b ? "true" : "false",
        byte[] bytes => Convert.ToBase64String(bytes),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
