using VaeSweep.Client.Spec.Parameters;
using VaeSweep.Client.Spec.Yaml;
using VaeSweep.Model.Data;

namespace VaeSweep.Client.Spec;

/// <summary>
/// Reads the <c>dataset:</c> section into a <see cref="DatasetSpec"/>, reporting problems where they are. An IDX
/// directory is checked to exist; files of numbers are loaded in full, so ragged rows, NaN, unsupported dtypes,
/// mismatched widths and missing files are spec errors (naming the key, file and row) before anything runs or is
/// stored, and their content hashes go into every trial's identity.
/// </summary>
internal static class DatasetReader
{
    private const string Section = "dataset";

    public static readonly string[] Keys =
        ["name", "path", "train", "test", "test_fraction", "labels", "array", "shape", "standardize", "validation", "split_seed", "limit"];

    private static readonly string[] FileOnlyKeys = ["test", "test_fraction", "labels", "array", "shape"];

    /// <summary>What the parser learnt from the files besides the spec: whether every value lies in [0, 1] (Bernoulli needs it).</summary>
    public sealed record Result(DatasetSpec Dataset, bool UnitRange);

    /// <param name="key">The 'dataset' key, where problems of the section as a whole are reported.</param>
    /// <returns>The dataset, or null when it has problems (reported).</returns>
    public static Result? Read(YNode node, YNode key, SpecParserOptions options, SpecErrorSink errors)
    {
        var fields = MappingFields.Read(node, Section, Keys, errors, k =>
            ParameterCatalog.ByName.TryGetValue(k, out var p) ? $"it belongs in the {p.Section} section" : null);
        if (fields is null) return null;

        var ok = true;
        string? path = null, train = null, test = null, labels = null, array = null;
        if (fields["path"] is { } pathNode && fields["train"] is { } both)
        {
            errors.Add(both, "dataset.train", $"give either path (an IDX directory, line {pathNode.Line}) or train (a file of numbers), not both");
            return null;
        }
        if (fields["path"] is { } p1)
        {
            ok &= ReadText(p1, "dataset.path", errors, out path);
            if (ok && !options.DirectoryExists(path!)) { errors.Add(p1, "dataset.path", $"directory '{path}' does not exist"); ok = false; }
            foreach (var only in FileOnlyKeys)
                if (fields.KeyOf(only) is { } extra) { errors.Add(extra, $"dataset.{only}", "goes with dataset.train (files of numbers), not with an IDX directory"); ok = false; }
        }
        else if (fields["train"] is { } t) ok &= ReadText(t, "dataset.train", errors, out train);
        else
        {
            errors.Add(key, "dataset.path", "missing; the spec needs the directory with the four IDX files, or dataset.train: a .npy, .npz or CSV file");
            return null;
        }

        if (fields["test"] is { } testNode) ok &= ReadText(testNode, "dataset.test", errors, out test);
        var testFraction = 0.0;
        if (fields["test_fraction"] is { } f)
        {
            if (!ScalarReader.TryDouble(f, "dataset.test_fraction", errors, out testFraction)) ok = false;
            else if (test is not null) { errors.Add(f, "dataset.test_fraction", "give either a test file or test_fraction, not both"); ok = false; }
            else if (!(testFraction is > 0 and < 1)) { errors.Add(f, "dataset.test_fraction", $"must be between 0 and 1 (exclusive), got {testFraction}"); ok = false; }
        }
        else if (train is not null && fields["test"] is null)
        {
            errors.Add(fields.KeyOf("train")!, Section, "needs dataset.test (a test file) or dataset.test_fraction (the share of the training file held out for test)");
            ok = false;
        }
        if (fields["labels"] is { } l) ok &= ReadText(l, "dataset.labels", errors, out labels);
        if (fields["array"] is { } a) ok &= ReadText(a, "dataset.array", errors, out array);
        DataShape? shape = null;
        if (fields["shape"] is { } s) ok &= ReadShape(s, errors, out shape);

        var name = "";
        if (fields["name"] is { } nameNode) ok &= ScalarReader.TryString(nameNode, "dataset.name", errors, out name);
        else if (path is not null) name = DirectoryName(path);
        else if (train is not null) name = FileStem(train);
        var standardize = false;
        var validation = DatasetSpec.DefaultValidation;
        var splitSeed = 0;
        var limit = 0;
        if (fields["standardize"] is { } z) ok &= ScalarReader.TryBool(z, "dataset.standardize", errors, out standardize);
        if (fields["validation"] is { } v) ok &= ScalarReader.TryInt(v, "dataset.validation", errors, out validation);
        if (fields["split_seed"] is { } seed) ok &= ScalarReader.TryInt(seed, "dataset.split_seed", errors, out splitSeed);
        if (fields["limit"] is { } lim) ok &= ScalarReader.TryInt(lim, "dataset.limit", errors, out limit);
        if (!ok) return null;

        var dataset = new DatasetSpec(name, path ?? "", validation, splitSeed, limit)
        {
            Train = train, Test = test, TestFraction = testFraction, Labels = labels, Array = array, Shape = shape, Standardize = standardize,
        };
        var unitRange = true;
        if (train is not null)
        {
            LoadedData loaded;
            try
            {
                loaded = options.LoadData(new DataSource(train, test, testFraction, labels, array, shape), splitSeed);
            }
            catch (DatasetException e)
            {
                // The message starts with the file it is about; report it at that file's key.
                var at = test is not null && e.Message.StartsWith(test, StringComparison.Ordinal) ? "test" : "train";
                errors.Add(fields[at]!, $"dataset.{at}", e.Message);
                return null;
            }
            dataset = dataset with { TrainSha256 = loaded.TrainSha256, TestSha256 = loaded.TestSha256 };
            if (validation >= loaded.Train.Count)
            {
                errors.Add(fields["validation"] ?? key, "dataset.validation",
                    $"must be less than the {loaded.Train.Count} training examples of {train}{(test is null ? " left after the test carve" : "")}, got {validation}");
                return null;
            }
            unitRange = InUnitRange(loaded.Train) && InUnitRange(loaded.Test);
        }

        var problems = dataset.Validate();
        foreach (var problem in problems)
        {
            var field = problem[..problem.IndexOf(':')];
            errors.Add(fields[field] ?? key, $"dataset.{field}", problem[(field.Length + 2)..]);
        }
        return problems.Count == 0 ? new Result(dataset, unitRange && !standardize) : null;
    }

    private static bool ReadText(YNode node, string path, SpecErrorSink errors, out string? value)
    {
        value = null;
        if (!ScalarReader.TryString(node, path, errors, out var text)) return false;
        if (string.IsNullOrWhiteSpace(text))
        {
            errors.Add(node, path, "must not be empty");
            return false;
        }
        value = text;
        return true;
    }

    private static bool ReadShape(YNode node, SpecErrorSink errors, out DataShape? shape)
    {
        shape = null;
        if (node is not YSequence { Items.Count: 2 or 3 } sequence)
        {
            errors.Add(node, "dataset.shape", $"must be [height, width] or [height, width, channels], got {node.Describe()}");
            return false;
        }
        var sizes = new int[sequence.Items.Count];
        for (var i = 0; i < sizes.Length; i++)
        {
            if (!ScalarReader.TryInt(sequence.Items[i], $"dataset.shape[{i}]", errors, out sizes[i])) return false;
            if (sizes[i] < 1)
            {
                errors.Add(sequence.Items[i], $"dataset.shape[{i}]", $"must be at least 1, got {sizes[i]}");
                return false;
            }
        }
        shape = new DataShape(sizes[0], sizes[1], sizes.Length == 3 ? sizes[2] : 1, IsImage: true);
        return true;
    }

    /// <summary>The directory's name (as it always was: it is part of IDX trials' ids).</summary>
    private static string DirectoryName(string path) =>
        Path.GetFileName(Path.TrimEndingDirectorySeparator(path)) is { Length: > 0 } last ? last : "dataset";

    /// <summary>The file's name without its extensions (digits.csv.gz: digits).</summary>
    private static string FileStem(string path)
    {
        var last = Path.GetFileName(path);
        var dot = last.IndexOf('.', 1);
        var stem = dot > 0 ? last[..dot] : last;
        return stem.Length > 0 ? stem : "dataset";
    }

    private static bool InUnitRange(ImageSet set)
    {
        if (!set.IsFloat) return true;
        foreach (var v in set.Values.Span)
            if (v is < 0 or > 1) return false;
        return true;
    }
}
