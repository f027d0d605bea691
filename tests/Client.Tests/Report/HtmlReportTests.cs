using VaeSweep.Client.Report;
using VaeSweep.Client.Tests.Fixtures;

namespace VaeSweep.Client.Tests.Report;

public sealed class HtmlReportTests(ReportSweep sweep) : IClassFixture<ReportSweep>
{
    [Fact]
    public void The_page_needs_nothing_from_outside_and_escapes_what_it_quotes()
    {
        var report = ReportSweep.Build(sweep.DbPath);
        var hostile = report with { Sweep = report.Sweep with { SpecText = report.Sweep.SpecText + "\ndescription: </pre><script>alert(1)</script>" } };

        var html = HtmlReport.Render(hostile);

        Assert.Contains("&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;", html);
        Assert.DoesNotContain("<script>alert(1)", html);
        Assert.Contains("default-src 'none'", html);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/", ""));
        Assert.DoesNotContain("https://", html);
        Assert.DoesNotContain("<?xml", html);
    }

    [Fact]
    public void Inlined_svgs_keep_their_ids_apart()
    {
        var html = HtmlReport.Render(ReportSweep.Build(sweep.DbPath));
        var ids = System.Text.RegularExpressions.Regex.Matches(html, "\\bid=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Contains(ids, id => id.StartsWith("p-curve-elbo-"));
    }

    [Fact]
    public void Ranking_cells_carry_exact_values_for_sorting()
    {
        var report = ReportSweep.Build(sweep.DbPath);
        var html = HtmlReport.Render(report);
        var best = report.Ranking[0];
        Assert.Contains($"data-v=\"{best.HeldoutLl!.Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}\"", html);
        Assert.Contains($"<tr class=\"status-finished best\" data-trial=\"{best.Trial}\">", html);
    }

    [Fact]
    public void Svg_ids_and_references_get_the_prefix()
    {
        var svg = """<?xml version="1.0"?><svg><clipPath id="cl_1"/><g clip-path="url(#cl_1)"><use xlink:href="#img_0"/></g><image id="img_0"/></svg>""";
        Assert.Equal("""<svg><clipPath id="p-cl_1"/><g clip-path="url(#p-cl_1)"><use xlink:href="#p-img_0"/></g><image id="p-img_0"/></svg>""", SvgInline.Prepare(svg, "p"));
    }
}
