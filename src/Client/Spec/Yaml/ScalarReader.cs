using System.Globalization;
using System.Text.RegularExpressions;

namespace VaeSweep.Client.Spec.Yaml;

/// <summary>
/// Reads typed values from nodes by the YAML 1.2 core schema: only plain scalars are numbers, so
/// <c>epochs: "3"</c> is a string and rejected like <c>epochs: three</c>. Failures go to the sink.
/// </summary>
internal static partial class ScalarReader
{
    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();

    public static bool TryInt(YNode node, string path, SpecErrorSink errors, out int value)
    {
        value = 0;
        if (node is YScalar { IsPlain: true } s && IntegerPattern().IsMatch(s.Value))
        {
            if (int.TryParse(s.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value)) return true;
            errors.Add(node, path, $"must be an integer between {int.MinValue} and {int.MaxValue}, got {s.Value}");
            return false;
        }
        errors.Add(node, path, $"must be an integer, got {node.Describe()}");
        return false;
    }

    public static bool TryDouble(YNode node, string path, SpecErrorSink errors, out double value)
    {
        value = 0;
        if (node is YScalar { IsPlain: true } s)
        {
            if (FloatPattern().IsMatch(s.Value))
            {
                value = double.Parse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture);
                return true;
            }
            switch (s.Value)
            {
                case ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF":
                    value = double.PositiveInfinity;
                    return true;
                case "-.inf" or "-.Inf" or "-.INF":
                    value = double.NegativeInfinity;
                    return true;
                case ".nan" or ".NaN" or ".NAN":
                    value = double.NaN;
                    return true;
            }
        }
        errors.Add(node, path, $"must be a number, got {node.Describe()}");
        return false;
    }

    /// <summary>Any non-null scalar, quoted or not (a label like <c>name: 2024</c> is fine).</summary>
    public static bool TryString(YNode node, string path, SpecErrorSink errors, out string value)
    {
        value = "";
        if (node is YScalar { IsNull: false } s)
        {
            value = s.Value;
            return true;
        }
        errors.Add(node, path, $"must be a string, got {node.Describe()}");
        return false;
    }

    /// <summary>One of <paramref name="names"/> exactly (lower case), with a suggestion when it is close.</summary>
    public static bool TryName(YNode node, string path, IReadOnlyList<string> names, SpecErrorSink errors, out string value)
    {
        value = "";
        if (node is YScalar { IsNull: false } s && names.Contains(s.Value, StringComparer.Ordinal))
        {
            value = s.Value;
            return true;
        }
        var hint = node is YScalar { IsNull: false } bad ? Suggestions.DidYouMean(bad.Value, names) : "";
        errors.Add(node, path, $"must be one of {string.Join(", ", names)}, got {node.Describe()}{hint}");
        return false;
    }

    /// <summary>A plain true or false (YAML 1.2 core schema spellings).</summary>
    public static bool TryBool(YNode node, string path, SpecErrorSink errors, out bool value)
    {
        value = false;
        if (node is YScalar { IsPlain: true } s)
        {
            switch (s.Value)
            {
                case "true" or "True" or "TRUE":
                    value = true;
                    return true;
                case "false" or "False" or "FALSE":
                    return true;
            }
        }
        errors.Add(node, path, $"must be true or false, got {node.Describe()}");
        return false;
    }
}
