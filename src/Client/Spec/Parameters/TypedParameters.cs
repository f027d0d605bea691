using System.Globalization;
using VaeSweep.Client.Spec.Yaml;
using VaeSweep.Model;

namespace VaeSweep.Client.Spec.Parameters;

internal sealed class IntegerParameter(string name, string section, Func<TrialConfig, int> get, Func<TrialConfig, int, TrialConfig> set)
    : SpecParameter(name, section)
{
    public override ParameterKind Kind => ParameterKind.Integer;

    public override bool TryRead(YNode node, string path, SpecErrorSink errors, out object value)
    {
        var ok = ScalarReader.TryInt(node, path, errors, out var v);
        value = v;
        return ok;
    }

    public override TrialConfig Apply(TrialConfig config, object value) => set(config, (int)value);

    public override object Get(TrialConfig config) => get(config);

    public override string Format(object value) => ((int)value).ToString(CultureInfo.InvariantCulture);
}

internal sealed class RealParameter(string name, string section, Func<TrialConfig, double> get, Func<TrialConfig, double, TrialConfig> set)
    : SpecParameter(name, section)
{
    public override ParameterKind Kind => ParameterKind.Real;

    public override bool TryRead(YNode node, string path, SpecErrorSink errors, out object value)
    {
        var ok = ScalarReader.TryDouble(node, path, errors, out var v);
        value = v;
        return ok;
    }

    public override TrialConfig Apply(TrialConfig config, object value) => set(config, (double)value);

    public override object Get(TrialConfig config) => get(config);

    public override string Format(object value) => ((double)value).ToString("R", CultureInfo.InvariantCulture);
}

internal sealed class NameParameter<T>(string name, string section, Func<TrialConfig, T> get, Func<TrialConfig, T, TrialConfig> set)
    : SpecParameter(name, section) where T : struct, Enum
{
    public override ParameterKind Kind => ParameterKind.Name;

    public override bool TryRead(YNode node, string path, SpecErrorSink errors, out object value)
    {
        value = default(T);
        if (!ScalarReader.TryName(node, path, SpecNames<T>.All, errors, out var text)) return false;
        SpecNames<T>.TryParse(text, out var parsed);
        value = parsed;
        return true;
    }

    public override bool TryParseName(string text, out object value)
    {
        var ok = SpecNames<T>.TryParse(text, out var parsed);
        value = parsed;
        return ok;
    }

    public override TrialConfig Apply(TrialConfig config, object value) => set(config, (T)value);

    public override object Get(TrialConfig config) => get(config);

    public override string Format(object value) => SpecNames<T>.Of((T)value);
}

internal sealed class IntegerListParameter(
    string name, string section, Func<TrialConfig, IReadOnlyList<int>> get, Func<TrialConfig, IReadOnlyList<int>, TrialConfig> set)
    : SpecParameter(name, section)
{
    public override ParameterKind Kind => ParameterKind.IntegerList;

    public override bool TryRead(YNode node, string path, SpecErrorSink errors, out object value)
    {
        value = Array.Empty<int>();
        if (node is not YSequence sequence)
        {
            errors.Add(node, path, $"must be a list of integers such as [400] or [512, 256], got {node.Describe()}");
            return false;
        }
        var items = new int[sequence.Items.Count];
        var ok = true;
        for (var i = 0; i < items.Length; i++)
            ok &= ScalarReader.TryInt(sequence.Items[i], $"{path}[{i}]", errors, out items[i]);
        value = Array.AsReadOnly(items);
        return ok;
    }

    public override TrialConfig Apply(TrialConfig config, object value) => set(config, (IReadOnlyList<int>)value);

    public override object Get(TrialConfig config) => get(config);

    public override string Format(object value) =>
        "[" + string.Join(", ", ((IReadOnlyList<int>)value).Select(v => v.ToString(CultureInfo.InvariantCulture))) + "]";
}
