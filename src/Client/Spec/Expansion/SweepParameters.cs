using VaeSweep.Client.Spec.Parameters;
using VaeSweep.Client.Spec.Yaml;

namespace VaeSweep.Client.Spec.Expansion;

/// <summary>Reading the parameter names and value lists of a sweep section, shared by the strategies.</summary>
internal static class SweepParameters
{
    /// <summary>A mapping keyed by parameter names (unknown and duplicate keys reported).</summary>
    public static MappingFields? Read(YNode node, string path, SpecErrorSink errors) =>
        MappingFields.Read(node, path, ParameterCatalog.All.Select(p => p.Name).ToArray(), errors,
            key => DatasetReader.Keys.Contains(key) ? "dataset settings are shared by every trial and cannot be swept" : null);

    /// <summary>
    /// A list of alternative values of <paramref name="parameter"/> (for hidden, a list of lists). Null when it is
    /// not such a list; otherwise the values that could be read, so the rest can still be checked (the others,
    /// and an empty list, are reported).
    /// </summary>
    public static List<Assignment>? ReadValueList(SpecParameter parameter, YNode node, string path, SpecErrorSink errors, bool rejectDuplicates)
    {
        if (node is not YSequence sequence)
        {
            var example = parameter.Kind == ParameterKind.IntegerList ? "[[400], [512, 256]]" : "[a, b, ...]";
            errors.Add(node, path, $"must be a list of values to sweep such as {example}, got {node.Describe()}; " +
                                   $"a fixed value belongs in the {parameter.Section} section");
            return null;
        }
        if (sequence.Items.Count == 0)
        {
            errors.Add(node, path, "the list of values is empty; give at least one");
            return [];
        }
        if (parameter.Kind == ParameterKind.IntegerList && sequence.Items.All(i => i is YScalar))
        {
            errors.Add(node, path, "each value is a list of layer widths: write [[400, 200]] for one architecture or [[400], [200]] for two");
            return null;
        }
        var values = new List<Assignment>();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < sequence.Items.Count; i++)
        {
            var item = sequence.Items[i];
            var itemPath = $"{path}[{i}]";
            if (!parameter.TryRead(item, itemPath, errors, out var value)) continue;
            var text = parameter.Format(value);
            if (rejectDuplicates && !seen.TryAdd(text, itemPath))
            {
                errors.Add(item, itemPath, $"duplicate value {text} (already at {seen[text]}); it would repeat trials");
                continue;
            }
            values.Add(new Assignment(parameter, value, new Origin(itemPath, item)));
        }
        return values;
    }
}
