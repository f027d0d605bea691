namespace VaeSweep.Client.Spec.Yaml;

/// <summary>
/// The entries of a mapping whose keys come from a fixed set. Reading one reports unknown keys (with a
/// suggestion) and duplicate keys; the first occurrence of a duplicated key is the one used.
/// </summary>
internal sealed class MappingFields
{
    private readonly Dictionary<string, YEntry> _entries;

    private MappingFields(YMapping node, Dictionary<string, YEntry> entries)
    {
        Node = node;
        _entries = entries;
    }

    public YMapping Node { get; }

    /// <summary>Known keys that are present, in file order.</summary>
    public IEnumerable<YEntry> Entries => Node.Entries.Where(e => _entries.TryGetValue(e.Key.Value, out var first) && ReferenceEquals(first, e));

    public YNode? this[string key] => _entries.TryGetValue(key, out var e) ? e.Value : null;

    /// <summary>An optional section's value; an empty value (<c>model:</c> with nothing after it) counts as absent.</summary>
    public YNode? Optional(string key) => this[key] is { } node && node is not YScalar { IsNull: true } ? node : null;

    public YScalar? KeyOf(string key) => _entries.TryGetValue(key, out var e) ? e.Key : null;

    /// <param name="path">Where the mapping sits ("" for the root, "sweep", "dataset"...).</param>
    /// <param name="elsewhere">Explains an unknown key that belongs somewhere else, e.g. "it belongs in model"; null if not.</param>
    public static MappingFields? Read(
        YNode node, string path, IReadOnlyCollection<string> known, SpecErrorSink errors, Func<string, string?>? elsewhere = null)
    {
        if (node is not YMapping mapping)
        {
            errors.Add(node, path, $"must be a mapping with keys {string.Join(", ", known)}, got {node.Describe()}");
            return null;
        }
        var entries = new Dictionary<string, YEntry>(StringComparer.Ordinal);
        foreach (var entry in mapping.Entries)
        {
            var key = entry.Key.Value;
            var keyPath = Join(path, key);
            if (!known.Contains(key))
            {
                var hint = elsewhere?.Invoke(key) is { } e
                    ? $" here ({e})"
                    : Suggestions.Closest(key, known) is { } close
                        ? $" (did you mean '{close}'?)"
                        : $"; expected one of {string.Join(", ", known)}";
                errors.Add(entry.Key, keyPath, $"unknown key{hint}");
            }
            else if (entries.TryGetValue(key, out var first))
            {
                errors.Add(entry.Key, keyPath, $"duplicate key (first given at line {first.Key.Line}, column {first.Key.Column})");
            }
            else
            {
                entries[key] = entry;
            }
        }
        return new MappingFields(mapping, entries);
    }

    public static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";
}
