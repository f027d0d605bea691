using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using VaeSweep.Client.Store;

namespace VaeSweep.Client.Ranking;

/// <summary>
/// A JSON array with one object per row, keyed by column name. Numbers stay numbers; non-finite doubles,
/// which JSON cannot hold, become the strings "NaN", "Infinity", "-Infinity"; blobs become base64 strings.
/// </summary>
internal static class JsonRows
{
    public static string Format(QueryResult result)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions
        {
            Indented = true,
            // Terminal and file output, never embedded in HTML: keep σ, <, ' readable instead of \uXXXX.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }))
        {
            json.WriteStartArray();
            foreach (var row in result.Rows)
            {
                json.WriteStartObject();
                for (var c = 0; c < result.Columns.Count; c++)
                {
                    json.WritePropertyName(result.Columns[c]);
                    WriteValue(json, row[c]);
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void WriteValue(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null: json.WriteNullValue(); break;
            case bool b: json.WriteBooleanValue(b); break;
            case double d when double.IsFinite(d): json.WriteNumberValue(d); break;
            case float f when float.IsFinite(f): json.WriteNumberValue(f); break;
            case double or float: json.WriteStringValue(ResultFormatter.ExactText(value)); break;
            case long l: json.WriteNumberValue(l); break;
            case int i: json.WriteNumberValue(i); break;
            case decimal m: json.WriteNumberValue(m); break;
            case byte[] bytes: json.WriteBase64StringValue(bytes); break;
            default: json.WriteStringValue(ResultFormatter.ExactText(value)); break;
        }
    }
}
