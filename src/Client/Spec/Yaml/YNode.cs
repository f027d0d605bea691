namespace VaeSweep.Client.Spec.Yaml;

/// <summary>
/// A YAML node with the 1-based line and column where it starts. The spec reader builds its own tree
/// (rather than YamlDotNet's representation model) so duplicate keys survive to be reported, all of them.
/// </summary>
internal abstract class YNode
{
    public required int Line { get; init; }

    public required int Column { get; init; }

    /// <summary>How the node reads in an error message ("'three'", "a list", ...).</summary>
    public abstract string Describe();
}

internal sealed class YScalar : YNode
{
    public required string Value { get; init; }

    /// <summary>Plain and untagged: only such scalars may be numbers, booleans or null (YAML 1.2 core schema).</summary>
    public required bool IsPlain { get; init; }

    public bool IsNull => IsPlain && Value is "" or "~" or "null" or "Null" or "NULL";

    public override string Describe() => IsNull ? "nothing (null)" : $"'{Value}'";
}

internal sealed class YSequence : YNode
{
    public required IReadOnlyList<YNode> Items { get; init; }

    public override string Describe() => Items.Count == 0 ? "an empty list" : "a list";
}

internal sealed class YMapping : YNode
{
    /// <summary>Entries in file order, duplicates included.</summary>
    public required IReadOnlyList<YEntry> Entries { get; init; }

    public override string Describe() => "a mapping";
}

internal sealed record YEntry(YScalar Key, YNode Value);
