using System.Numerics;
using VaeSweep.Client.Spec.Parameters;
using VaeSweep.Client.Spec.Yaml;

namespace VaeSweep.Client.Spec.Expansion;

/// <summary>
/// Reads the parameters of a sampled sweep (random, tpe) into <see cref="ParameterSampler"/>s: per parameter a
/// list of values or one distribution (uniform, log_uniform, int_uniform, choice).
/// </summary>
internal static class SamplerReader
{
    private static readonly string[] Distributions = ["uniform", "log_uniform", "int_uniform", "choice"];

    /// <param name="strategy">The strategy's name, for messages.</param>
    /// <returns>One sampler per parameter in file order, or null when none could be read (errors reported).</returns>
    public static IReadOnlyList<ParameterSampler>? ReadAll(YNode? parameters, string path, string strategy, SpecErrorSink errors)
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
        if (samplers.Count > 0) return samplers;
        if (errors.Count == errorsBefore && parameters is not null) errors.Add(parameters, path, $"strategy {strategy} needs at least one parameter to draw");
        return null;
    }

    /// <summary>Whether the samplers can give <paramref name="trials"/> distinct trials; reported at the trials node when not.</summary>
    public static bool AllowsDistinct(IReadOnlyList<ParameterSampler> samplers, int trials, YNode trialsNode, string trialsPath, SpecErrorSink errors)
    {
        var support = samplers.Aggregate((BigInteger?)BigInteger.One, (n, s) => n is { } a && s.Support is { } b ? a * b : null);
        if (support is not { } finite || finite >= trials) return true;
        errors.Add(trialsNode, trialsPath, $"asks for {trials} distinct trials but the parameters allow only {finite}");
        return false;
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
}
