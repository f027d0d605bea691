using System.Collections.Frozen;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using VaeSweep.Client.Spec.Parameters;
using VaeSweep.Model;

namespace VaeSweep.Client.Spec;

/// <summary>
/// The canonical JSON of a fully resolved trial, which is what its id hashes and what the store keeps so
/// <c>reproduce</c> can rebuild the trial. Shaped like a spec without a sweep: sections dataset, eval, model,
/// train; every key present (but engine and arch at their defaults, see <see cref="SpecParameter.OmittedDefault"/>), keys sorted ordinally at every level, no whitespace, names in the spec's
/// lower-case spelling, doubles in shortest round-trip form (-0 written as 0).
/// </summary>
public static class CanonicalTrialJson
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = false,
        // Paths and labels are stored, not embedded in HTML; keep them readable rather than \u-escaped.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly string[] DatasetKeys = ["limit", "name", "path", "split_seed", "validation"];

    private static readonly string[] Sections = [ParameterCatalog.Eval, ParameterCatalog.Model, ParameterCatalog.Train];

    /// <summary>Each section's parameters in key order; computed once, as every trial of a sweep is written.</summary>
    private static readonly FrozenDictionary<string, SpecParameter[]> SectionParameters = Sections.ToFrozenDictionary(
        s => s,
        s => ParameterCatalog.All.Where(p => p.Section == s).OrderBy(p => p.Name, StringComparer.Ordinal).ToArray());

    /// <exception cref="ArgumentException">The config or dataset does not validate (NaN and infinities have no JSON form).</exception>
    public static string Write(TrialConfig config, DatasetSpec dataset)
    {
        var problems = config.Validate().Concat(dataset.Validate().Select(p => $"dataset.{p}")).ToList();
        if (problems.Count > 0) throw new ArgumentException($"cannot write an invalid trial: {string.Join("; ", problems)}");

        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteStartObject("dataset");
            w.WriteNumber("limit", dataset.Limit);
            w.WriteString("name", dataset.Name);
            w.WriteString("path", dataset.Path);
            w.WriteNumber("split_seed", dataset.SplitSeed);
            w.WriteNumber("validation", dataset.Validation);
            w.WriteEndObject();
            foreach (var section in Sections)
            {
                w.WriteStartObject(section);
                foreach (var p in ParametersOf(section))
                {
                    if (p.OmittedDefault is { } omitted && omitted.Equals(p.Get(config))) continue;
                    w.WritePropertyName(p.Name);
                    WriteValue(w, p, p.Get(config));
                }
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The inverse of <see cref="Write"/>: strict (every key required, none unknown) and validating.</summary>
    /// <exception cref="FormatException">The text is not the canonical JSON of a valid trial; the message says where.</exception>
    public static (TrialConfig Config, DatasetSpec Dataset) Read(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"trial JSON: not valid JSON: {e.Message}", e);
        }
        using (document)
        {
            var root = Object(document.RootElement, "", ["dataset", .. Sections]);
            var d = Object(root["dataset"], "dataset", DatasetKeys);
            var dataset = new DatasetSpec(
                String(d["name"], "dataset.name"),
                String(d["path"], "dataset.path"),
                Int(d["validation"], "dataset.validation"),
                Int(d["split_seed"], "dataset.split_seed"),
                Int(d["limit"], "dataset.limit"));
            var config = new TrialConfig();
            foreach (var section in Sections)
            {
                var parameters = ParametersOf(section);
                var fields = Object(root[section], section, parameters.Select(p => p.Name).ToArray(),
                    parameters.Where(p => p.OmittedDefault is not null).Select(p => p.Name).ToArray());
                foreach (var p in parameters)
                {
                    if (fields.TryGetValue(p.Name, out var field))
                        config = p.Apply(config, ReadValue(field, p, $"{section}.{p.Name}"));
                    else if (p.OmittedDefault is { } omitted)
                        config = p.Apply(config, omitted);
                }
            }
            var problems = config.Validate().Concat(dataset.Validate().Select(p => $"dataset.{p}")).ToList();
            if (problems.Count > 0) throw new FormatException($"trial JSON: invalid trial: {string.Join("; ", problems)}");
            return (config, dataset);
        }
    }

    private static SpecParameter[] ParametersOf(string section) => SectionParameters[section];

    private static void WriteValue(Utf8JsonWriter w, SpecParameter p, object value)
    {
        switch (p.Kind)
        {
            case ParameterKind.Integer:
                w.WriteNumberValue((int)value);
                break;
            case ParameterKind.Real:
                // -0.0 == 0.0 for the engine; one spelling keeps the hash from telling them apart.
                var x = (double)value;
                w.WriteNumberValue(x == 0 ? 0.0 : x);
                break;
            case ParameterKind.Name:
                w.WriteStringValue(p.Format(value));
                break;
            case ParameterKind.IntegerList:
                w.WriteStartArray();
                foreach (var v in (IReadOnlyList<int>)value) w.WriteNumberValue(v);
                w.WriteEndArray();
                break;
            default:
                throw new InvalidOperationException($"no JSON form for parameter kind {p.Kind}");
        }
    }

    private static object ReadValue(JsonElement e, SpecParameter p, string path)
    {
        switch (p.Kind)
        {
            case ParameterKind.Integer:
                return Int(e, path);
            case ParameterKind.Real:
                if (e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out var x)) return x;
                throw new FormatException($"trial JSON: {Where(path)}expected a number, got {e.ValueKind}");
            case ParameterKind.Name:
                var text = String(e, path);
                return p.TryParseName(text, out var name)
                    ? name
                    : throw new FormatException($"trial JSON: {Where(path)}unknown name '{text}'");
            case ParameterKind.IntegerList:
                if (e.ValueKind != JsonValueKind.Array) throw new FormatException($"trial JSON: {Where(path)}expected an array, got {e.ValueKind}");
                return Array.AsReadOnly(e.EnumerateArray().Select((v, i) => Int(v, $"{path}[{i}]")).ToArray());
            default:
                throw new InvalidOperationException($"no JSON form for parameter kind {p.Kind}");
        }
    }

    private static Dictionary<string, JsonElement> Object(JsonElement e, string path, IReadOnlyCollection<string> keys,
        IReadOnlyCollection<string>? optional = null)
    {
        if (e.ValueKind != JsonValueKind.Object) throw new FormatException($"trial JSON: {Where(path)}expected an object, got {e.ValueKind}");
        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in e.EnumerateObject())
        {
            if (!keys.Contains(property.Name)) throw new FormatException($"trial JSON: {Where(path)}unknown key '{property.Name}'");
            if (!fields.TryAdd(property.Name, property.Value)) throw new FormatException($"trial JSON: {Where(path)}duplicate key '{property.Name}'");
        }
        var missing = keys.Where(k => !fields.ContainsKey(k) && optional?.Contains(k) != true).ToList();
        if (missing.Count > 0) throw new FormatException($"trial JSON: {Where(path)}missing {string.Join(", ", missing)}");
        return fields;
    }

    private static string Where(string path) => path.Length == 0 ? "" : $"{path}: ";

    private static int Int(JsonElement e, string path) =>
        e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var v)
            ? v
            : throw new FormatException($"trial JSON: {Where(path)}expected a 32-bit integer, got {e}");

    private static string String(JsonElement e, string path) =>
        e.ValueKind == JsonValueKind.String
            ? e.GetString()!
            : throw new FormatException($"trial JSON: {Where(path)}expected a string, got {e.ValueKind}");
}
