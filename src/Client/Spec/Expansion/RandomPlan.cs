using System.Numerics;
using VaeSweep.Client.Spec.Parameters;
using VaeSweep.Client.Spec.Yaml;

namespace VaeSweep.Client.Spec.Expansion;

/// <summary>
/// <c>trials</c> distinct trials drawn with a seeded <see cref="SplitMix64"/>: per draw, each parameter in file
/// order. A draw that repeats an earlier trial is skipped, so the same spec always gives the same trials.
/// </summary>
internal sealed class RandomPlan(int trials, int seed, IReadOnlyList<ParameterSampler> samplers, YNode trialsNode, string trialsPath)
    : SweepPlan
{
    private static readonly string[] Distributions = ["uniform", "log_uniform", "int_uniform", "choice"];

    // Coupon collecting all n of n equally likely trials takes about n ln n draws; 50 n covers n up to e^50.
    private const int DrawsPerTrial = 50;

    public override SweepStrategy Strategy => SweepStrategy.Random;

    public override IReadOnlyList<SpecParameter> Columns { get; } = samplers.Select(s => s.Parameter).ToArray();

    public override int? Seed => seed;

    /// <summary>Reads sweep.parameters for a random sweep (a list per parameter, or a distribution).</summary>
    public static RandomPlan? Read(YNode? parameters, string path, int trials, int seed, YNode trialsNode, string trialsPath, SpecErrorSink errors)
    {
        var samplers = new List<ParameterSampler>();
        var errorsBefore = errors.Count;
        if (parameters is not null && SweepParameters.Read(parameters, path, errors) is { } fields)
        {
            foreach (var entry in fields.Entries)
            {
                var parameter = ParameterCatalog.ByName[entry.Key.Value];
                var sampler = ReadSampler(parameter, entry.Value, MappingFields.Join(path, parameter.Name), errors);
                if (sampler is not null) samplers.Add(sampler);
            }
        }
        if (samplers.Count == 0)
        {
            if (errors.Count == errorsBefore && parameters is not null) errors.Add(parameters, path, "strategy random needs at least one parameter to draw");
            return null;
        }
        var support = samplers.Aggregate((BigInteger?)BigInteger.One, (n, s) => n is { } a && s.Support is { } b ? a * b : null);
        if (support is { } finite && finite < trials)
        {
            errors.Add(trialsNode, trialsPath, $"asks for {trials} distinct trials but the parameters allow only {finite}");
            return null;
        }
        return new RandomPlan(trials, seed, samplers, trialsNode, trialsPath);
    }

    private static ParameterSampler? ReadSampler(SpecParameter parameter, YNode node, string path, SpecErrorSink errors)
    {
        var origin = new Origin(path, node);
        if (node is YSequence)
        {
            var values = SweepParameters.ReadValueList(parameter, node, path, errors, rejectDuplicates: false);
            return values is { Count: > 0 } ? new ChoiceSampler(parameter, origin, values) : null;
        }
        if (node is not YMapping)
        {
            errors.Add(node, path, $"must be a list of values to choose from or a distribution such as {{ uniform: [a, b] }}, got {node.Describe()}");
            return null;
        }
        var fields = MappingFields.Read(node, path, Distributions, errors);
        if (fields is null) return null;
        var given = fields.Entries.ToList();
        if (given.Count != 1)
        {
            if (given.Count == 0 && ((YMapping)node).Entries.Count == 0 || given.Count > 1)
                errors.Add(node, path, $"give exactly one distribution: {string.Join(", ", Distributions)}");
            return null;
        }
        var kind = given[0].Key.Value;
        var bounds = given[0].Value;
        var boundsPath = MappingFields.Join(path, kind);
        var boundsOrigin = new Origin(boundsPath, bounds);
        switch (kind)
        {
            case "choice":
                var values = SweepParameters.ReadValueList(parameter, bounds, boundsPath, errors, rejectDuplicates: false);
                return values is { Count: > 0 } ? new ChoiceSampler(parameter, boundsOrigin, values) : null;
            case "uniform" or "log_uniform":
                if (parameter.Kind != ParameterKind.Real)
                {
                    errors.Add(given[0].Key, boundsPath, $"{parameter.Name} is not a real number; use " +
                        (parameter.Kind == ParameterKind.Integer ? "int_uniform or choice" : "choice or a list"));
                    return null;
                }
                if (!TryBounds(bounds, boundsPath, errors, out var low, out var high)) return null;
                if (kind == "uniform") return new UniformSampler(parameter, boundsOrigin, low, high);
                var seq = (YSequence)bounds;
                if (!(low > 0))
                {
                    errors.Add(seq.Items[0], $"{boundsPath}[0]", $"log_uniform needs positive bounds, got {low}");
                    return null;
                }
                return new LogUniformSampler(parameter, boundsOrigin, low, high);
            default: // int_uniform
                if (parameter.Kind is not (ParameterKind.Integer or ParameterKind.Real))
                {
                    errors.Add(given[0].Key, boundsPath, $"{parameter.Name} is not a number; use choice or a list");
                    return null;
                }
                if (!TryIntBounds(bounds, boundsPath, errors, out var a, out var b)) return null;
                return new IntUniformSampler(parameter, boundsOrigin, a, b);
        }
    }

    private static bool TryBounds(YNode node, string path, SpecErrorSink errors, out double low, out double high)
    {
        low = high = 0;
        if (!IsPair(node, path, errors, out var pair)) return false;
        var ok = ScalarReader.TryDouble(pair.Items[0], $"{path}[0]", errors, out low) & ScalarReader.TryDouble(pair.Items[1], $"{path}[1]", errors, out high);
        if (!ok) return false;
        if (!double.IsFinite(low) || !double.IsFinite(high))
        {
            errors.Add(node, path, $"bounds must be finite, got [{low}, {high}]");
            return false;
        }
        return InOrder(node, path, errors, low, high);
    }

    private static bool TryIntBounds(YNode node, string path, SpecErrorSink errors, out int low, out int high)
    {
        low = high = 0;
        if (!IsPair(node, path, errors, out var pair)) return false;
        var ok = ScalarReader.TryInt(pair.Items[0], $"{path}[0]", errors, out low) & ScalarReader.TryInt(pair.Items[1], $"{path}[1]", errors, out high);
        return ok && InOrder(node, path, errors, low, high);
    }

    private static bool IsPair(YNode node, string path, SpecErrorSink errors, out YSequence pair)
    {
        pair = node as YSequence ?? new YSequence { Line = node.Line, Column = node.Column, Items = [] };
        if (node is YSequence { Items.Count: 2 }) return true;
        errors.Add(node, path, $"must be [low, high], got {(node is YSequence s ? $"{s.Items.Count} values" : node.Describe())}");
        return false;
    }

    private static bool InOrder(YNode node, string path, SpecErrorSink errors, double low, double high)
    {
        if (low <= high) return true;
        errors.Add(node, path, $"low bound {low} is greater than high bound {high}");
        return false;
    }

    public override IReadOnlyList<ResolvedTrial> Expand(TrialResolver resolver, SpecErrorSink errors)
    {
        var rng = new SplitMix64(seed);
        var found = new List<ResolvedTrial>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var maxDraws = (long)DrawsPerTrial * trials + 1000;
        var errorsBefore = errors.Count;
        for (long draw = 0; found.Count < trials; draw++)
        {
            // Invalid draws make the spec fail; no need to look for replacements once every slot has been drawn.
            if (errors.Count > errorsBefore && draw >= trials) break;
            if (draw >= maxDraws)
            {
                errors.Add(trialsNode, trialsPath, $"found only {found.Count} distinct trials in {draw} draws; ask for fewer trials or widen the parameters");
                break;
            }
            var assignments = samplers.Select(s => s.Sample(rng)).ToArray();
            if (resolver.Resolve(assignments, Columns) is { } trial && ids.Add(trial.Id)) found.Add(trial);
        }
        return found;
    }
}
