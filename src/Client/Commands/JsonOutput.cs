using System.Text.Encodings.Web;
using System.Text.Json;

namespace VaeSweep.Client.Commands;

/// <summary>--format json for commands whose output is a document rather than rows: snake_case keys, indented.</summary>
internal static class JsonOutput
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        // Non-finite doubles (a diverged ELBO) are written as "NaN"/"Infinity" strings rather than failing.
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Write(TextWriter output, object document) => output.WriteLine(JsonSerializer.Serialize(document, Options));
}
