using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace VaeSweep.Client.Report;

/// <summary>How a random or tpe spec draws one parameter from an interval.</summary>
public enum IntervalKind { Uniform, LogUniform, IntUniform }

/// <summary>A parameter drawn from an interval (<c>uniform</c>, <c>log_uniform</c>, <c>int_uniform</c>: [Low, High]).</summary>
public sealed record SearchDistribution(IntervalKind Kind, double Low, double High);

/// <summary>
/// The parameters a sweep's spec draws from an interval, with the interval: they belong on the scale they were
/// searched on (log for <c>log_uniform</c>) whatever range the draws happened to cover, and parameter importance
/// integrates over the whole interval. Read from the stored spec text alone (no dataset, no validation: a spec that
/// no longer parses simply names none). Lists and <c>choice</c> are not intervals and are left out.
/// </summary>
internal static class SearchDistributions
{
    private static readonly Dictionary<string, IntervalKind> Kinds = new(StringComparer.Ordinal)
    {
        ["uniform"] = IntervalKind.Uniform,
        ["log_uniform"] = IntervalKind.LogUniform,
        ["int_uniform"] = IntervalKind.IntUniform,
    };

    public static IReadOnlyDictionary<string, SearchDistribution> In(string specText)
    {
        var found = new Dictionary<string, SearchDistribution>(StringComparer.Ordinal);
        try
        {
            var yaml = new YamlStream();
            yaml.Load(new StringReader(specText));
            if (yaml.Documents.Count == 0 || yaml.Documents[0].RootNode is not YamlMappingNode root) return found;
            if (Child(root, "sweep") is not YamlMappingNode sweep || Child(sweep, "parameters") is not YamlMappingNode parameters) return found;
            foreach (var (key, value) in parameters.Children)
            {
                if (key is not YamlScalarNode { Value: { } name } || value is not YamlMappingNode distribution) continue;
                foreach (var (kindName, kind) in Kinds)
                    if (Child(distribution, kindName) is YamlSequenceNode { Children.Count: 2 } bounds
                        && Number(bounds[0]) is { } low && Number(bounds[1]) is { } high)
                        found[name] = new SearchDistribution(kind, low, high);
            }
        }
        catch (YamlDotNet.Core.YamlException)
        {
            // The spec was valid when it ran; if this build cannot read it, the plots fall back to the range rule.
        }
        return found;
    }

    /// <summary>The keys drawn from <c>log_uniform</c>: on a log axis even when the draws span less than a decade.</summary>
    public static IReadOnlySet<string> LogKeys(string specText) =>
        In(specText).Where(kv => kv.Value.Kind == IntervalKind.LogUniform).Select(kv => kv.Key).ToHashSet(StringComparer.Ordinal);

    private static double? Number(YamlNode node) =>
        node is YamlScalarNode { Value: { } text } && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)
            ? v : null;

    private static YamlNode? Child(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;
}
