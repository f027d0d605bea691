using VaeSweep.Client.Spec.Parameters;
using VaeSweep.Client.Spec.Yaml;
using VaeSweep.Model;

namespace VaeSweep.Client.Spec.Expansion;

/// <summary>
/// Turns a sweep's assignments into a validated <see cref="ResolvedTrial"/>. <see cref="TrialConfig.Validate"/>
/// is the single source of the engine's constraints; its "field: message" errors are traced back to the YAML
/// node that supplied the field for this trial (the sweep value, else the base section). Each problem is
/// reported once per node, however many trials share it.
/// </summary>
internal sealed class TrialResolver
{
    private readonly TrialConfig _base;
    private readonly IReadOnlyList<Assignment> _baseAssignments;
    private readonly DatasetSpec _dataset;
    private readonly SpecErrorSink _errors;
    private readonly YNode _root;
    private readonly HashSet<(int Line, int Column, string Field)> _reported = [];
    private readonly Func<Engine, string?> _unavailability;
    private readonly bool _unitRange;

    /// <param name="baseAssignments">Values given in model, train and eval.</param>
    /// <param name="root">Where to report a problem with a default value no node supplied.</param>
    /// <param name="unavailability">Why an engine cannot train here (null: it can).</param>
    /// <param name="unitRange">Whether every model input lies in [0, 1] (false for standardised data or files with other values).</param>
    public TrialResolver(IReadOnlyList<Assignment> baseAssignments, DatasetSpec dataset, SpecErrorSink errors, YNode root,
        Func<Engine, string?> unavailability, bool unitRange = true)
    {
        _unitRange = unitRange;
        _unavailability = unavailability;
        _baseAssignments = baseAssignments;
        _base = baseAssignments.Aggregate(new TrialConfig(), (c, a) => a.Parameter.Apply(c, a.Value));
        _dataset = dataset;
        _errors = errors;
        _root = root;
    }

    /// <summary>The base sections alone, binarisation defaulted from the likelihood.</summary>
    public TrialConfig BaseConfig => WithDefaultBinarization(_base, _baseAssignments);

    /// <param name="columns">Swept parameters whose values the trial displays.</param>
    /// <returns>The trial, or null when it is invalid (the errors are in the sink).</returns>
    public ResolvedTrial? Resolve(IReadOnlyList<Assignment> sweep, IReadOnlyList<SpecParameter> columns)
    {
        var config = sweep.Aggregate(_base, (c, a) => a.Parameter.Apply(c, a.Value));
        var all = _baseAssignments.Concat(sweep).ToList();
        config = WithDefaultBinarization(config, all);
        var problems = config.Validate();
        // Checked here, not when a silo starts the trial: a sweep that cannot train fails before anything is stored.
        if (config.Likelihood == Likelihood.Bernoulli && !_unitRange)
            problems = [.. problems, _dataset.Standardize
                ? "likelihood: bernoulli models values in [0, 1], and dataset.standardize makes them unbounded; use gaussian with output: identity"
                : $"likelihood: bernoulli models values in [0, 1], but {_dataset.Train} has others; use gaussian"];
        if (problems.Count == 0 && _unavailability(config.Engine) is { } reason)
            problems = [$"engine: {config.Engine.ToString().ToLowerInvariant()} cannot train here: {reason}"];
        if (problems.Count > 0)
        {
            foreach (var problem in problems) Report(problem, all);
            return null;
        }
        var swept = columns.Select(p =>
        {
            var value = p.Get(config);
            return new SweptValue(p.Name, value, p.Format(value));
        }).ToList();
        return ResolvedTrial.Create(config, _dataset, swept);
    }

    // Bernoulli needs binary pixels and Gaussian grey ones, so an unset binarization follows the trial's likelihood.
    private static TrialConfig WithDefaultBinarization(TrialConfig config, IEnumerable<Assignment> assignments) =>
        assignments.Any(a => a.Parameter == ParameterCatalog.Binarization)
            ? config
            : config with { Binarization = config.Likelihood == Likelihood.Bernoulli ? Binarization.Static : Binarization.None };

    private void Report(string problem, IReadOnlyList<Assignment> assignments)
    {
        // Validate's messages read "field: message" or "field[i]: message" (hidden layers).
        var colon = problem.IndexOf(": ", StringComparison.Ordinal);
        var fieldPart = colon < 0 ? "" : problem[..colon];
        var message = colon < 0 ? problem : problem[(colon + 2)..];
        var bracket = fieldPart.IndexOf('[');
        var field = bracket < 0 ? fieldPart : fieldPart[..bracket];
        var suffix = bracket < 0 ? "" : fieldPart[bracket..];

        // The last assignment wins, as it did when the config was built.
        var origin = assignments.LastOrDefault(a => a.Parameter.Name == field)?.Origin;
        YNode node;
        string path;
        if (origin is null)
        {
            node = _root;
            path = ParameterCatalog.ByName.TryGetValue(field, out var p) ? $"{p.Section}.{fieldPart}" : fieldPart;
            message += " (the default value)";
        }
        else
        {
            node = origin.Node;
            path = origin.Path + suffix;
            if (suffix.Length > 2 && int.TryParse(suffix[1..^1], out var index) && node is YSequence s && index < s.Items.Count)
                node = s.Items[index];
        }
        if (_reported.Add((node.Line, node.Column, fieldPart))) _errors.Add(node, path, message);
    }
}
