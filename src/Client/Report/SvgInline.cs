using System.Text.RegularExpressions;

namespace VaeSweep.Client.Report;

/// <summary>
/// Makes a standalone SVG document fit inside an HTML page beside others: drops the XML prolog and gives its
/// ids (clip paths, embedded images) a per-plot prefix, since ids are page-wide once inlined.
/// </summary>
internal static partial class SvgInline
{
    public static string Prepare(string svg, string prefix)
    {
        var start = svg.IndexOf("<svg", StringComparison.Ordinal);
        if (start < 0) throw new ArgumentException("not an SVG document: no <svg> element", nameof(svg));
        var body = svg[start..];
        body = IdAttribute().Replace(body, m => $"id=\"{prefix}-{m.Groups[1].Value}\"");
        body = UrlReference().Replace(body, m => $"url(#{prefix}-{m.Groups[1].Value})");
        return HrefReference().Replace(body, m => $"{m.Groups[1].Value}=\"#{prefix}-{m.Groups[2].Value}\"");
    }

    [GeneratedRegex("""\bid="([^"]+)"(?!\s*=)""")]
    private static partial Regex IdAttribute();

    [GeneratedRegex("""url\(#([^)]+)\)""")]
    private static partial Regex UrlReference();

    [GeneratedRegex("""\b((?:xlink:)?href)="#([^"]+)"(?!\s*=)""")]
    private static partial Regex HrefReference();
}
