using VaeSweep.Client.Spec.Parameters;
using VaeSweep.Client.Spec.Yaml;

namespace VaeSweep.Client.Spec.Expansion;

/// <summary>An explicit list of trials, each a mapping of overrides of the base sections, in file order.</summary>
internal sealed class ListPlan(IReadOnlyList<ListPlan.Entry> configs) : SweepPlan
{
    /// <summary>One item of sweep.configs.</summary>
    public sealed record Entry(IReadOnlyList<Assignment> Overrides, YNode Node, string Path);

    public override SweepStrategy Strategy => SweepStrategy.List;

    /// <summary>Every parameter any config overrides, in order of first appearance.</summary>
    public override IReadOnlyList<SpecParameter> Columns { get; } =
        configs.SelectMany(c => c.Overrides.Select(a => a.Parameter)).Distinct().ToArray();

    public static ListPlan? Read(YNode node, string path, int maxTrials, SpecErrorSink errors)
    {
        if (node is not YSequence { Items.Count: > 0 } sequence)
        {
            errors.Add(node, path, $"must be a non-empty list of mappings such as [{{ latent: 2, sigma: 0.1 }}], got {node.Describe()}");
            return null;
        }
        if (sequence.Items.Count > maxTrials)
        {
            errors.Add(node, path, $"lists {sequence.Items.Count} trials, more than the limit of {maxTrials}");
            return null;
        }
        var configs = new List<Entry>();
        for (var i = 0; i < sequence.Items.Count; i++)
        {
            var itemPath = $"{path}[{i}]";
            var fields = SweepParameters.Read(sequence.Items[i], itemPath, errors);
            if (fields is null) continue;
            var errorsBefore = errors.Count;
            var overrides = new List<Assignment>();
            foreach (var entry in fields.Entries)
            {
                var parameter = ParameterCatalog.ByName[entry.Key.Value];
                var valuePath = MappingFields.Join(itemPath, parameter.Name);
                if (parameter.TryRead(entry.Value, valuePath, errors, out var value))
                    overrides.Add(new Assignment(parameter, value, new Origin(valuePath, entry.Value)));
            }
            // A config with unreadable values would resolve to some other trial and look like a duplicate.
            if (errors.Count == errorsBefore) configs.Add(new Entry(overrides, sequence.Items[i], itemPath));
        }
        return new ListPlan(configs);
    }

    public override IReadOnlyList<ResolvedTrial> Expand(TrialResolver resolver, SpecErrorSink errors)
    {
        var trials = new List<ResolvedTrial>();
        var firstPathById = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var config in configs)
        {
            if (resolver.Resolve(config.Overrides, Columns) is not { } trial) continue;
            if (firstPathById.TryAdd(trial.Id, config.Path)) trials.Add(trial);
            else errors.Add(config.Node, config.Path, $"the same trial as {firstPathById[trial.Id]}");
        }
        return trials;
    }
}
