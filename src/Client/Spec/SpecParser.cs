using System.Text.RegularExpressions;
using VaeSweep.Client.Ranking;
using VaeSweep.Client.Spec.Expansion;
using VaeSweep.Client.Spec.Parameters;
using VaeSweep.Client.Spec.Yaml;

namespace VaeSweep.Client.Spec;

/// <summary>
/// Reads a sweep spec (YAML) into a <see cref="SweepSpec"/>, expanding and validating every trial, or into the
/// full list of problems with file, line and column. Pure apart from the injected directory check.
/// </summary>
public static partial class SpecParser
{
    private static readonly string[] TopKeys = ["name", "description", "dataset", "model", "train", "eval", "sweep", "schedule"];

    private static readonly string[] BaseSections = [ParameterCatalog.Model, ParameterCatalog.Train, ParameterCatalog.Eval];

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex NamePattern();

    /// <param name="text">The spec's YAML.</param>
    /// <param name="fileName">How errors name the file, e.g. experiments/fashion-quick.yaml.</param>
    /// <param name="options">Directory check, engine check and trial limit; <see cref="SpecParserOptions.Default"/> when null.</param>
    public static SpecParseResult Parse(string text, string fileName, SpecParserOptions? options = null)
    {
        options ??= SpecParserOptions.Default;
        options.Validate();
        var errors = new SpecErrorSink(fileName);
        var root = YamlTreeReader.Read(text, errors);
        var top = root is null ? null : MappingFields.Read(root, "", TopKeys, errors, key =>
            ParameterCatalog.ByName.TryGetValue(key, out var p) ? $"it belongs in the {p.Section} section" :
            DatasetReader.Keys.Contains(key) ? "it belongs in the dataset section" : null);
        if (root is null || top is null) return SpecParseResult.Failed(errors.ToList());

        var name = ReadName(top, errors);
        string? description = null;
        if (top["description"] is { } d && ScalarReader.TryString(d, "description", errors, out var about)) description = about;
        DatasetReader.Result? data = null;
        if (top["dataset"] is { } datasetNode) data = DatasetReader.Read(datasetNode, top.KeyOf("dataset")!, options, errors);
        else Missing(root, "dataset", "a dataset section with a path (IDX directory) or a train file", errors);
        var baseAssignments = BaseSections.SelectMany(s => top.Optional(s) is { } n ? ReadBaseSection(n, s, errors) : []).ToList();

        // A placeholder dataset keeps the trials checkable when the dataset section is broken; the parse fails anyway.
        var dataset = data?.Dataset;
        var resolver = new TrialResolver(baseAssignments, dataset ?? new DatasetSpec("unknown", "unknown"), errors, root, options.EngineUnavailability,
            data?.UnitRange ?? true);
        SweepPlan? plan = null;
        if (top["sweep"] is { } sweepNode) plan = SweepReader.Read(sweepNode, top.KeyOf("sweep")!, options.MaxTrials, errors);
        else Missing(root, "sweep", "a sweep section (use strategy: list with one config for a single trial)", errors);
        var objective = top["sweep"] is YMapping sweepMapping
            && sweepMapping.Entries.FirstOrDefault(e => e.Key.Value == ObjectiveReader.Key) is { } objectiveEntry
            ? ObjectiveReader.Read(objectiveEntry.Value, errors)
            : Objective.Default;
        var trials = plan is null
            ? resolver.Resolve([], []) is { } single ? [single] : []
            : plan.Expand(resolver, errors);

        var schedule = ScheduleSpec.None;
        if (top.Optional("schedule") is { } scheduleNode)
        {
            var fewestEpochs = plan?.FewestEpochs(trials) ?? (trials.Count > 0 ? trials.Min(t => t.Config.Epochs) : null);
            schedule = ScheduleReader.Read(scheduleNode, top.KeyOf("schedule")!, fewestEpochs, errors) ?? ScheduleSpec.None;
        }

        if (errors.Count > 0 || name is null || dataset is null || plan is null || objective is null) return SpecParseResult.Failed(errors.ToList());
        return SpecParseResult.Ok(new SweepSpec(
            name, description, fileName, text, dataset, resolver.BaseConfig,
            plan.Strategy, plan.Seed, plan.Columns.Select(c => c.Name).ToArray(), trials, schedule, plan.Proposer(trials, resolver)) { Objective = objective! });
    }

    private static string? ReadName(MappingFields top, SpecErrorSink errors)
    {
        if (top["name"] is not { } node)
        {
            Missing(top.Node, "name", "a name for the sweep", errors);
            return null;
        }
        if (!ScalarReader.TryString(node, "name", errors, out var name)) return null;
        if (NamePattern().IsMatch(name)) return name;
        errors.Add(node, "name", $"must start with a letter or digit and use only letters, digits, '.', '_' and '-', got '{name}'");
        return null;
    }

    private static IEnumerable<Assignment> ReadBaseSection(YNode node, string section, SpecErrorSink errors)
    {
        var fields = MappingFields.Read(node, section, ParameterCatalog.NamesIn(section), errors, key =>
            ParameterCatalog.ByName.TryGetValue(key, out var p) ? $"it belongs in the {p.Section} section" :
            DatasetReader.Keys.Contains(key) ? "it belongs in the dataset section" : null);
        if (fields is null) return [];
        var assignments = new List<Assignment>();
        foreach (var entry in fields.Entries)
        {
            var parameter = ParameterCatalog.ByName[entry.Key.Value];
            var path = MappingFields.Join(section, parameter.Name);
            if (parameter.TryRead(entry.Value, path, errors, out var value))
                assignments.Add(new Assignment(parameter, value, new Origin(path, entry.Value)));
        }
        return assignments;
    }

    private static void Missing(YNode at, string path, string what, SpecErrorSink errors) =>
        errors.Add(at, path, $"missing; the spec needs {what}");
}
