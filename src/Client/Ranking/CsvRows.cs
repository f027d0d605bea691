using System.Text;
using VaeSweep.Client.Store;

namespace VaeSweep.Client.Ranking;

/// <summary>
/// RFC 4180 CSV: a header of column names, then one record per row, CRLF line ends; a field containing a
/// comma, a double quote, CR or LF is quoted with its quotes doubled. Values use invariant culture and
/// round-trip exactly (see <see cref="ResultFormatter.ExactText"/>).
/// </summary>
internal static class CsvRows
{
    public static string Format(QueryResult result)
    {
        var text = new StringBuilder();
        AppendRecord(text, result.Columns);
        foreach (var row in result.Rows) AppendRecord(text, row.Select(ResultFormatter.ExactText).ToList());
        return text.ToString();
    }

    private static void AppendRecord(StringBuilder text, IReadOnlyList<string> fields)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0) text.Append(',');
            text.Append(Quote(fields[i]));
        }
        text.Append("\r\n");
    }

    internal static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"") + "\"";
}
