using System.Collections.Frozen;
using VaeSweep.Client.Spec.Yaml;

namespace VaeSweep.Client.Spec.Expansion;

/// <summary>Reads the sweep section: the strategy and the keys it uses, into a <see cref="SweepPlan"/>.</summary>
internal static class SweepReader
{
    private const string Path = "sweep";

    /// <summary>Random draws before the TPE model is used: Optuna's n_startup_trials.</summary>
    public const int DefaultStartupTrials = 10;

    /// <summary>
    /// Trial n learns from trials up to n − lag, so at most lag trials run at once. A constant, not the slot count,
    /// so that a spec proposes the same trials on every machine; 4 keeps 4 slots busy while costing a 24-trial sweep
    /// only 3 results per proposal.
    /// </summary>
    public const int DefaultLag = 4;

    private static readonly string[] Strategies = ["grid", "random", "list", "tpe"];

    // objective is read by ObjectiveReader; every strategy takes it.
    private static readonly string[] Keys = ["strategy", "parameters", "trials", "seed", "startup_trials", "lag", "configs", ObjectiveReader.Key];

    /// <summary>Which strategies use each key; a key given to another strategy is an error rather than ignored.</summary>
    private static readonly FrozenDictionary<string, string[]> UsedBy = new Dictionary<string, string[]>
    {
        ["parameters"] = ["grid", "random", "tpe"],
        ["trials"] = ["random", "tpe"],
        ["seed"] = ["random", "tpe"],
        ["startup_trials"] = ["tpe"],
        ["lag"] = ["tpe"],
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
                errors.Add(keyNode, $"{Path}.{name}", $"not used by strategy {strategy} (only by {Only(strategies)})");
        }
        var parameters = fields.Optional("parameters");
        switch (strategy)
        {
            case "grid":
                return GridPlan.Read(parameters, fields.KeyOf("parameters"), "sweep.parameters", maxTrials, errors);
            case "random" or "tpe":
                return ReadSampled(fields, strategy, parameters, key, maxTrials, errors);
            default:
                if (fields["configs"] is { } configs) return ListPlan.Read(configs, "sweep.configs", maxTrials, errors);
                errors.Add(key, Path, "strategy list needs 'configs', a list of parameter mappings");
                return null;
        }
    }

    private static string Only(string[] strategies) =>
        strategies.Length == 1 ? strategies[0] : $"{string.Join(", ", strategies[..^1])} and {strategies[^1]}";

    /// <summary>random and tpe: trials and seed, for tpe also startup_trials and lag, then the parameters.</summary>
    private static SweepPlan? ReadSampled(MappingFields fields, string strategy, YNode? parameters, YNode key, int maxTrials, SpecErrorSink errors)
    {
        var ok = true;
        if (parameters is null)
        {
            errors.Add(key, Path, $"strategy {strategy} needs 'parameters' to draw from");
            ok = false;
        }
        if (fields["trials"] is not { } trialsNode)
        {
            errors.Add(key, Path, strategy == "tpe"
                ? "strategy tpe needs 'trials: N', the number of trials to run (the first startup_trials drawn at random, the rest proposed by the model)"
                : "strategy random needs 'trials: N', the number of trials to draw");
            return null;
        }
        if (!ScalarReader.TryInt(trialsNode, "sweep.trials", errors, out var trials)) return null;
        if (trials < 1 || trials > maxTrials)
        {
            errors.Add(trialsNode, "sweep.trials", $"must be between 1 and the limit of {maxTrials}, got {trials}");
            return null;
        }
        var seed = 0;
        if (fields["seed"] is { } seedNode && !ScalarReader.TryInt(seedNode, "sweep.seed", errors, out seed)) ok = false;
        if (strategy == "random")
            return ok ? RandomPlan.Read(parameters, "sweep.parameters", trials, seed, trialsNode, "sweep.trials", errors) : null;

        var startup = DefaultStartupTrials;
        if (fields["startup_trials"] is { } startupNode)
        {
            if (!ScalarReader.TryInt(startupNode, "sweep.startup_trials", errors, out startup)) ok = false;
            else if (startup < 0 || startup >= trials)
            {
                errors.Add(startupNode, "sweep.startup_trials", $"must be at least 0 and less than trials ({trials}), got {startup}; " +
                                                                "otherwise the model never proposes a trial");
                ok = false;
            }
        }
        else if (startup >= trials)
        {
            errors.Add(trialsNode, "sweep.trials", $"{trials} trials are all startup trials (startup_trials defaults to {DefaultStartupTrials}), " +
                                                   "so the model would never propose one; give more trials or a smaller startup_trials");
            ok = false;
        }
        var lag = DefaultLag;
        if (fields["lag"] is { } lagNode)
        {
            if (!ScalarReader.TryInt(lagNode, "sweep.lag", errors, out lag)) ok = false;
            else if (lag < 1)
            {
                errors.Add(lagNode, "sweep.lag", $"must be at least 1 (trial n learns from trials up to n - lag), got {lag}");
                ok = false;
            }
        }
        return ok ? TpePlan.Read(parameters, "sweep.parameters", trials, seed, startup, lag, trialsNode, "sweep.trials", errors) : null;
    }
}
