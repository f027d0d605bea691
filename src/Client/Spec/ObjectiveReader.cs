using VaeSweep.Client.Ranking;
using VaeSweep.Client.Spec.Yaml;

namespace VaeSweep.Client.Spec;

/// <summary>
/// Reads <c>sweep.objective</c>: one clause or a list of them (see <see cref="Objective"/>), e.g.
/// <c>objective: [heldout_ll, active_units >= 5]</c>. Also reads it back from a stored spec for <c>top</c> and
/// <c>report</c>, which must not need the dataset the full parser checks.
/// </summary>
internal static class ObjectiveReader
{
    public const string Key = "objective";
    private const string Path = "sweep.objective";

    /// <returns>The objective, or null with every problem reported at its node.</returns>
    public static Objective? Read(YNode node, SpecErrorSink errors)
    {
        IReadOnlyList<YNode> items = node is YSequence sequence ? sequence.Items : [node];
        if (items.Count == 0)
        {
            errors.Add(node, Path, "an empty list; give a metric such as heldout_ll, or leave the key out");
            return null;
        }
        var clauses = new List<string>();
        var ok = true;
        for (var i = 0; i < items.Count; i++)
        {
            var path = node is YSequence ? $"{Path}[{i}]" : Path;
            if (ScalarReader.TryString(items[i], path, errors, out var text)) clauses.Add(text);
            else ok = false;
        }
        if (!ok) return null;
        return Objective.Parse(clauses, (i, message) => errors.Add(items[i], node is YSequence ? $"{Path}[{i}]" : Path, message));
    }

    /// <summary>The objective of a spec as stored: the default when it names none or cannot be read.</summary>
    /// <remarks>A stored spec passed the parser when its sweep was created, so a problem here means an older vaesweep
    /// wrote it, before the key existed; ranking by the default is then what that vaesweep did.</remarks>
    public static Objective FromSpecText(string text)
    {
        var errors = new SpecErrorSink("stored spec");
        if (YamlTreeReader.Read(text, errors) is not YMapping root) return Objective.Default;
        var sweep = root.Entries.FirstOrDefault(e => e.Key.Value == "sweep")?.Value as YMapping;
        var node = sweep?.Entries.FirstOrDefault(e => e.Key.Value == Key)?.Value;
        return node is null ? Objective.Default : Read(node, errors) ?? Objective.Default;
    }
}
