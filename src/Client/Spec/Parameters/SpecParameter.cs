using VaeSweep.Client.Spec.Yaml;
using VaeSweep.Model;

namespace VaeSweep.Client.Spec.Parameters;

/// <summary>What values a parameter takes, which decides the distributions it may be sampled from.</summary>
internal enum ParameterKind
{
    Integer,
    Real,
    Name,
    IntegerList,
}

/// <summary>
/// One setting of <see cref="TrialConfig"/> as the spec spells it: its snake_case name (the same name
/// <see cref="TrialConfig.Validate"/> uses), the section it lives in, how to read it from YAML and how to set it.
/// Values are boxed: int, double, the enum, or IReadOnlyList&lt;int&gt;.
/// </summary>
internal abstract class SpecParameter(string name, string section)
{
    public string Name { get; } = name;

    /// <summary>model, train or eval.</summary>
    public string Section { get; } = section;

    public abstract ParameterKind Kind { get; }

    /// <summary>
    /// Set for keys added after trials were first stored (engine, arch): at this value the key is left out of the
    /// canonical JSON, and a JSON without it reads as this value, so the ids of trials stored before the key existed
    /// stay the ids of the same trials. Null: always written, always required.
    /// </summary>
    public object? OmittedDefault { get; init; }

    /// <summary>Reads a single value (not a list of alternatives) from <paramref name="node"/>.</summary>
    public abstract bool TryRead(YNode node, string path, SpecErrorSink errors, out object value);

    public abstract TrialConfig Apply(TrialConfig config, object value);

    public abstract object Get(TrialConfig config);

    /// <summary>For <see cref="ParameterKind.Name"/> parameters: the value spelt <paramref name="text"/>.</summary>
    public virtual bool TryParseName(string text, out object value)
    {
        value = text;
        return false;
    }

    /// <summary>Invariant text of a value, for display and for telling values apart.</summary>
    public abstract string Format(object value);
}
