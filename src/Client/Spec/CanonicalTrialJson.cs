using System.Collections.Frozen;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using VaeSweep.Client.Spec.Parameters;
using VaeSweep.Model;
using VaeSweep.Model.Data;

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

    private static readonly string[] IdxDatasetKeys = ["limit", "name", "path", "split_seed", "standardize", "validation"];

    private static readonly string[] FileDatasetKeys =
        ["array", "labels", "limit", "name", "shape", "split_seed", "standardize", "test", "test_fraction", "test_sha256", "train", "train_sha256", "validation"];

    /// <summary>Keys a dataset may leave out: those added after trials were first stored, and the optional ones of file datasets.</summary>
    private static readonly string[] OptionalDatasetKeys = ["array", "labels", "shape", "standardize", "test", "test_fraction", "test_sha256"];

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
            WriteDataset(w, dataset);
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
            var dataset = ReadDataset(root["dataset"]);
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

    // Keys in ordinal order. An IDX dataset writes exactly the keys it always has (standardize only when true), so the
    // ids of trials stored before file datasets existed stay the same; a file dataset's id covers its files' contents.
    private static void WriteDataset(Utf8JsonWriter w, DatasetSpec d)
    {
        w.WriteStartObject("dataset");
        if (d.IsFiles)
        {
            if (d.Array is { } array) w.WriteString("array", array);
            if (d.Labels is { } labels) w.WriteString("labels", labels);
        }
        w.WriteNumber("limit", d.Limit);
        w.WriteString("name", d.Name);
        if (!d.IsFiles) w.WriteString("path", d.Path);
        if (d.Shape is { } shape)
        {
            w.WriteStartArray("shape");
            w.WriteNumberValue(shape.Rows);
            w.WriteNumberValue(shape.Columns);
            if (shape.Channels != 1) w.WriteNumberValue(shape.Channels);
            w.WriteEndArray();
        }
        w.WriteNumber("split_seed", d.SplitSeed);
        if (d.Standardize) w.WriteBoolean("standardize", true);
        if (d.IsFiles)
        {
            if (d.Test is { } test) w.WriteString("test", test);
            else w.WriteNumber("test_fraction", d.TestFraction);
            if (d.TestSha256 is { } testHash) w.WriteString("test_sha256", testHash);
            w.WriteString("train", d.Train);
            w.WriteString("train_sha256", d.TrainSha256);
        }
        w.WriteNumber("validation", d.Validation);
        w.WriteEndObject();
    }

    private static DatasetSpec ReadDataset(JsonElement e)
    {
        var files = e.ValueKind == JsonValueKind.Object && e.TryGetProperty("train", out _);
        var d = Object(e, "dataset", files ? FileDatasetKeys : IdxDatasetKeys, files ? OptionalDatasetKeys : ["standardize"]);
        var dataset = new DatasetSpec(
            String(d["name"], "dataset.name"),
            files ? "" : String(d["path"], "dataset.path"),
            Int(d["validation"], "dataset.validation"),
            Int(d["split_seed"], "dataset.split_seed"),
            Int(d["limit"], "dataset.limit"));
        if (d.TryGetValue("standardize", out var standardize))
            dataset = dataset with
            {
                Standardize = standardize.ValueKind is JsonValueKind.True or JsonValueKind.False
                    ? standardize.GetBoolean()
                    : throw new FormatException($"trial JSON: dataset.standardize: expected true or false, got {standardize.ValueKind}"),
            };
        if (!files) return dataset;
        return dataset with
        {
            Train = String(d["train"], "dataset.train"),
            TrainSha256 = String(d["train_sha256"], "dataset.train_sha256"),
            Test = d.TryGetValue("test", out var test) ? String(test, "dataset.test") : null,
            TestSha256 = d.TryGetValue("test_sha256", out var testHash) ? String(testHash, "dataset.test_sha256") : null,
            TestFraction = d.TryGetValue("test_fraction", out var fraction)
                ? fraction.ValueKind == JsonValueKind.Number ? fraction.GetDouble() : throw new FormatException($"trial JSON: dataset.test_fraction: expected a number, got {fraction.ValueKind}")
                : 0,
            Labels = d.TryGetValue("labels", out var labels) ? String(labels, "dataset.labels") : null,
            Array = d.TryGetValue("array", out var array) ? String(array, "dataset.array") : null,
            Shape = d.TryGetValue("shape", out var shape) ? Shape(shape) : null,
        };
    }

    private static DataShape Shape(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Array) throw new FormatException($"trial JSON: dataset.shape: expected an array, got {e.ValueKind}");
        var sizes = e.EnumerateArray().Select((v, i) => Int(v, $"dataset.shape[{i}]")).ToArray();
        return sizes switch
        {
            [var h, var w] => new DataShape(h, w, 1, IsImage: true),
            [var h, var w, var c] => new DataShape(h, w, c, IsImage: true),
            _ => throw new FormatException($"trial JSON: dataset.shape: expected [height, width] or [height, width, channels], got {sizes.Length} sizes"),
        };
    }

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
