using YamlDotNet.RepresentationModel;

namespace VaeSweep.Client.Report;

/// <summary>
/// The parameters a sweep's spec draws from <c>log_uniform</c>: they belong on a log axis whatever range the draws
/// happened to cover. Read from the stored spec text alone (no dataset, no validation: a spec that no longer parses
/// simply names none).
/// </summary>
internal static class LogDistributedKeys
{
    public static IReadOnlySet<string> In(string specText)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            var yaml = new YamlStream();
            yaml.Load(new StringReader(specText));
            if (yaml.Documents.Count == 0 || yaml.Documents[0].RootNode is not YamlMappingNode root) return keys;
            if (Child(root, "sweep") is not YamlMappingNode sweep || Child(sweep, "parameters") is not YamlMappingNode parameters) return keys;
            foreach (var (key, value) in parameters.Children)
                if (key is YamlScalarNode { Value: { } name } && value is YamlMappingNode distribution && Child(distribution, "log_uniform") is not null)
                    keys.Add(name);
        }
        catch (YamlDotNet.Core.YamlException)
        {
            // The spec was valid when it ran; if this build cannot read it, the plots fall back to the range rule.
        }
        return keys;
    }

    private static YamlNode? Child(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;
}
