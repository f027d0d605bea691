using System.Collections.Frozen;
using VaeSweep.Client.Spec.Yaml;

namespace VaeSweep.Client.Spec.Expansion;

/// <summary>Reads the sweep section: the strategy and the keys it uses, into a <see cref="SweepPlan"/>.</summary>
internal static class SweepReader
{
    private const string Path = "sweep";

    private static readonly string[] Strategies = ["grid", "random", "list"];

    // objective is read by ObjectiveReader; every strategy takes it.
    private static readonly string[] Keys = ["strategy", "parameters", "trials", "seed", "configs", ObjectiveReader.Key];

    /// <summary>Which strategies use each key; a key given to another strategy is an error rather than ignored.</summary>
    private static readonly FrozenDictionary<string, string[]> UsedBy = new Dictionary<string, string[]>
    {
        ["parameters"] = ["grid", "random"],
        ["trials"] = ["random"],
        ["seed"] = ["random"],
        ["configs"] = ["list"],
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <param name="key">The 'sweep' key, where problems of the section as a whole are reported.</param>
    /// <returns>The plan, or null when the section cannot be expanded (errors reported).</returns>
    public static SweepPlan? Read(YNode node, YNode key, int maxTrials, SpecErrorSink errors)
    {
        var fields = MappingFields.Read(node, Path, Keys, errors);
        if (fields is null) return null;
        var strategy = "grid";
        if (fields["strategy"] is { } strategyNode && !ScalarReader.TryName(strategyNode, "sweep.strategy", Strategies, errors, out strategy))
            return null;
        foreach (var (name, strategies) in UsedBy)
        {
            if (fields.KeyOf(name) is { } keyNode && !strategies.Contains(strategy))
                errors.Add(keyNode, $"{Path}.{name}", $"not used by strategy {strategy} (only by {string.Join(" and ", strategies)})");
        }
        var parameters = fields.Optional("parameters");
        switch (strategy)
        {
            case "grid":
                return GridPlan.Read(parameters, fields.KeyOf("parameters"), "sweep.parameters", maxTrials, errors);
            case "random":
                var ok = true;
                if (parameters is null)
                {
                    errors.Add(key, Path, "strategy random needs 'parameters' to draw from");
                    ok = false;
                }
                var trials = 0;
                if (fields["trials"] is not { } trialsNode)
                {
                    errors.Add(key, Path, "strategy random needs 'trials: N', the number of trials to draw");
                    return null;
                }
                if (!ScalarReader.TryInt(trialsNode, "sweep.trials", errors, out trials)) return null;
                if (trials < 1 || trials > maxTrials)
                {
                    errors.Add(trialsNode, "sweep.trials", $"must be between 1 and the limit of {maxTrials}, got {trials}");
                    return null;
                }
                var seed = 0;
                if (fields["seed"] is { } seedNode && !ScalarReader.TryInt(seedNode, "sweep.seed", errors, out seed)) ok = false;
                return ok ? RandomPlan.Read(parameters, "sweep.parameters", trials, seed, trialsNode, "sweep.trials", errors) : null;
            default:
                if (fields["configs"] is { } configs) return ListPlan.Read(configs, "sweep.configs", maxTrials, errors);
                errors.Add(key, Path, "strategy list needs 'configs', a list of parameter mappings");
                return null;
        }
    }
}
