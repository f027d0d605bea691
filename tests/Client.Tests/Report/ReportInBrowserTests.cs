using System.Text.Json.Nodes;
using SkiaSharp;
using VaeSweep.Client.Report;
using VaeSweep.Client.Tests.Fixtures;

namespace VaeSweep.Client.Tests.Report;

/// <summary>The page of a real tiny sweep in headless chromium: no console errors, and every plot drawn at its size.</summary>
public sealed class ReportInBrowserTests(ReportSweep sweep) : IClassFixture<ReportSweep>
{
    private const int Width = 1400;

    [Fact]
    public async Task The_page_renders_without_console_errors_with_every_plot_drawn_and_a_sortable_table()
    {
        using var dir = new TempDirectory();
        var page = dir.File("report.html");
        var run = await CliRun.InvokeAsync(dir.Path, "report", ReportSweep.Name, "--db", sweep.DbPath, "-o", page);
        Assert.True(run.ExitCode == 0, run.ToString());

        // Only a guard against a hung browser; nothing here depends on how long rendering takes.
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using var chromium = await HeadlessChromium.StartAsync(Width, 900, guard.Token);
        await chromium.LoadAsync(page, guard.Token);

        var layout = (await chromium.EvaluateAsync("""
            JSON.stringify({
              width: document.documentElement.scrollWidth,
              height: document.documentElement.scrollHeight,
              plots: Array.from(document.querySelectorAll('[data-plot]')).map(function (e) {
                var drawn = e.tagName === 'IMG' ? e : e.querySelector('svg');
                var r = drawn.getBoundingClientRect();
                return { id: e.dataset.plot, x: r.left + window.scrollX, y: r.top + window.scrollY, w: r.width, h: r.height,
                         loaded: e.tagName !== 'IMG' || (e.complete && e.naturalWidth > 0) };
              })
            })
            """, guard.Token))!.GetValue<string>();
        var info = JsonNode.Parse(layout)!;
        var plots = info["plots"]!.AsArray().Select(p => (
            Id: (string)p!["id"]!, X: (double)p["x"]!, Y: (double)p["y"]!, W: (double)p["w"]!, H: (double)p["h"]!, Loaded: (bool)p["loaded"]!)).ToList();

        var grid = ImageGrid.Size(16, 6, 6);
        var expected = new Dictionary<string, (int W, int H)>
        {
            ["curve-elbo"] = (ReportPlots.CurveWidth, ReportPlots.CurveHeight),
            ["curve-kl"] = (ReportPlots.CurveWidth, ReportPlots.CurveHeight),
            ["curve-recon"] = (ReportPlots.CurveWidth, ReportPlots.CurveHeight),
            ["effect-latent"] = (ReportPlots.EffectWidth, ReportPlots.EffectHeight),
            ["effect-lr"] = (ReportPlots.EffectWidth, ReportPlots.EffectHeight),
            ["heat-latent-lr"] = (ReportPlots.HeatWidth, ReportPlots.HeatHeight),
            ["latent2"] = (ReportPlots.ScatterWidth, ReportPlots.ScatterHeight),
            ["rate-distortion"] = (AnalysisPlots.Width, AnalysisPlots.Height),
            ["units"] = (AnalysisPlots.Width, AnalysisPlots.Height),
            ["coordinates"] = (AnalysisPlots.Width, AnalysisPlots.Height),
            ["importance"] = (AnalysisPlots.Width, AnalysisPlots.Height),
        };
        foreach (var rank in new[] { 1, 2, 3 })
            foreach (var kind in new[] { "images", "recon", "prior" }) expected[$"{kind}-{rank}"] = grid;
        Assert.Equal(expected.Keys.Order(), plots.Select(p => p.Id).Order());

        var shot = await chromium.ScreenshotAsync((int)info["width"]!, (int)info["height"]!, guard.Token);
        using var image = SKBitmap.Decode(shot);
        foreach (var p in plots)
        {
            Assert.True(p.Loaded, $"{p.Id}: image did not load");
            Assert.Equal(expected[p.Id], ((int)Math.Round(p.W), (int)Math.Round(p.H)));
            var (distinct, inked) = PlotInk.Measure(image, p.X, p.Y, p.W, p.H);
            Assert.True(distinct >= 8 && inked >= 0.02, $"{p.Id}: looks blank ({distinct} colours, {inked:P1} of pixels away from the background)");
        }

        // Sorting: a click on "held-out LL" orders the rows by it, ascending, in the browser.
        var order = (await chromium.EvaluateAsync("""
            (function () {
              var th = Array.from(document.querySelectorAll('#ranking-table th')).find(function (h) { return h.textContent === 'held-out LL'; });
              th.click();
              var column = th.cellIndex;
              return JSON.stringify(Array.from(document.querySelectorAll('#ranking-table tbody tr')).map(function (r) { return parseFloat(r.cells[column].dataset.v); }));
            })()
            """, guard.Token))!.GetValue<string>();
        var values = JsonNode.Parse(order)!.AsArray().Select(v => (double)v!).ToList();
        Assert.Equal(4, values.Count);
        Assert.Equal(values.Order(), values);
        Assert.NotEqual(values, values.OrderDescending());  // it was best-first before the click

        Assert.Empty(chromium.Errors);
    }

    [Fact]
    public async Task Plot_text_is_readable_legends_sit_beside_the_data_and_name_trials_by_their_values()
    {
        using var dir = new TempDirectory();
        var page = dir.File("report.html");
        var run = await CliRun.InvokeAsync(dir.Path, "report", ReportSweep.Name, "--db", sweep.DbPath, "-o", page);
        Assert.True(run.ExitCode == 0, run.ToString());
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using var chromium = await HeadlessChromium.StartAsync(Width, 900, guard.Token);
        await chromium.LoadAsync(page, guard.Token);

        // Every text drawn in every chart, with its box as the browser laid it out, and each chart's box.
        var measured = (await chromium.EvaluateAsync("""
            JSON.stringify(Array.from(document.querySelectorAll('[data-plot]')).filter(function (e) { return e.tagName !== 'IMG'; }).map(function (e) {
              var svg = e.querySelector('svg'), box = svg.getBoundingClientRect();
              return { id: e.dataset.plot, left: box.left, right: box.right, top: box.top, bottom: box.bottom,
                texts: Array.from(svg.querySelectorAll('text')).filter(function (t) { return t.textContent.trim().length > 0; }).map(function (t) {
                  var r = t.getBoundingClientRect();
                  return { s: t.textContent.trim(), l: r.left, r: r.right, t: r.top, b: r.bottom };
                }) };
            }))
            """, guard.Token))!.GetValue<string>();
        var charts = JsonNode.Parse(measured)!.AsArray();
        Assert.NotEmpty(charts);
        foreach (var chart in charts)
        {
            var id = (string)chart!["id"]!;
            var texts = chart["texts"]!.AsArray().Select(t => (S: (string)t!["s"]!, L: (double)t["l"]!, R: (double)t["r"]!, T: (double)t["t"]!, B: (double)t["b"]!)).ToList();
            foreach (var t in texts)
            {
                Assert.True(t.L >= (double)chart["left"]! - 0.5 && t.R <= (double)chart["right"]! + 0.5, $"{id}: '{t.S}' runs off the chart's edge");
                // No tick label is a long decimal expansion (0.0030000000000000001).
                Assert.DoesNotMatch(@"\d\.\d{6,}", t.S);
            }
            // Tick labels and legend entries do not overlap one another (heat-map cell labels are inside cells).
            if (!id.StartsWith("heat-", StringComparison.Ordinal))
                for (var i = 0; i < texts.Count; i++)
                    for (var j = i + 1; j < texts.Count; j++)
                    {
                        var (a, b) = (texts[i], texts[j]);
                        var overlap = Math.Min(a.R, b.R) - Math.Max(a.L, b.L) > 1 && Math.Min(a.B, b.B) - Math.Max(a.T, b.T) > 1;
                        Assert.False(overlap, $"{id}: '{a.S}' overlaps '{b.S}'");
                    }
        }

        // The learning curves' legend names the best trials by their swept values, to the right of every epoch tick.
        var elbo = charts.Single(c => (string)c!["id"]! == "curve-elbo")!["texts"]!.AsArray()
            .Select(t => (S: (string)t!["s"]!, L: (double)t["l"]!, R: (double)t["r"]!)).ToList();
        var legend = elbo.Where(t => t.S.StartsWith('#')).ToList();
        Assert.Equal(3, legend.Count);
        Assert.All(legend, t => Assert.Matches(@"^#\d latent=[23] lr=(3e-3|1e-2)$", t.S));
        var lastEpochTick = elbo.Where(t => t.S == "3").Max(t => t.R);
        Assert.All(legend, t => Assert.True(t.L > lastEpochTick, $"legend '{t.S}' is over the data"));

        // The ranking prints lr in short scientific form.
        var lrCells = (await chromium.EvaluateAsync("""
            (function () {
              var column = Array.from(document.querySelectorAll('#ranking-table th')).findIndex(function (h) { return h.textContent === 'lr'; });
              return JSON.stringify(Array.from(document.querySelectorAll('#ranking-table tbody tr')).map(function (r) { return r.cells[column].textContent; }));
            })()
            """, guard.Token))!.GetValue<string>();
        Assert.All(JsonNode.Parse(lrCells)!.AsArray(), c => Assert.Matches("^(3e-3|1e-2)$", (string)c!));
    }

    [Fact]
    public async Task The_harness_sees_console_errors_exceptions_and_blocked_fetches()
    {
        // The check above can only fail if these are caught: a page with the report's policy that breaks it.
        using var dir = new TempDirectory();
        var page = dir.File("bad.html");
        File.WriteAllText(page, """
            <!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; script-src 'unsafe-inline'"></head>
            <body><img src="http://127.0.0.1:9/x.png"><script>console.error('broken plot'); null.x;</script></body></html>
            """);
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using var chromium = await HeadlessChromium.StartAsync(800, 600, guard.Token);
        await chromium.LoadAsync(page, guard.Token);
        await chromium.EvaluateAsync("1", guard.Token);   // a round trip, so events sent before it have arrived

        var errors = chromium.Errors;
        Assert.Contains(errors, e => e.Contains("console.error: broken plot"));
        Assert.Contains(errors, e => e.StartsWith("uncaught: TypeError"));
        Assert.Contains(errors, e => e.Contains("Content Security Policy"));
    }
}
