using System.Text.Json.Nodes;
using SkiaSharp;
using VaeSweep.Client.Report;
using VaeSweep.Client.Tests.Fixtures;

namespace VaeSweep.Client.Tests.Report;

/// <summary>
/// A real random sweep (a list, a log_uniform and a uniform parameter) gets parameter importance from the forest
/// surrogate, and its page draws it in headless chromium.
/// </summary>
public sealed class RandomSweepImportanceTests
{
    private const int Trials = 10;

    [Fact]
    public async Task A_random_sweep_page_draws_the_forest_importance_of_every_swept_parameter()
    {
        using var dir = new TempDirectory();
        var data = IdxFiles.Write(dir.File("data"), train: 240);
        var spec = dir.File("scattered.yaml");
        File.WriteAllText(spec, $$"""
            name: scattered
            dataset: { name: blobs, path: {{data}}, validation: 40 }
            model: { hidden: [16], activation: relu, likelihood: gaussian }
            train: { epochs: 3, batch_size: 32, seed: 1 }
            eval: { importance_samples: 20, examples: 20 }
            sweep:
              strategy: random
              trials: {{Trials}}
              seed: 3
              parameters:
                latent: [2, 3, 4]
                lr: { log_uniform: [0.001, 0.03] }
                sigma: { uniform: [0.2, 0.6] }
            """);
        var db = dir.File("r.db");
        var run = await CliRun.InvokeAsync(dir.Path, "run", spec, "--db", db);
        Assert.True(run.ExitCode == 0, run.ToString());

        using (var store = VaeSweep.Client.Store.ResultsStore.Open(db, readOnly: true))
        {
            var a = ReportBuilder.Build(store, "scattered", new ReportOptions(), TimeProvider.System).Analysis!;
            Assert.Null(a.ImportanceNote);
            Assert.Equal(ImportanceMethod.ForestSurrogate, a.ImportanceMethod);
            Assert.Equal(Trials, a.ImportanceTrials);
            Assert.Equal(["latent", "sigma", "lr"], a.Importance.Select(i => i.Parameter));
            Assert.All(a.Importance, i => Assert.InRange(i.Fraction, 0, 1));
            Assert.InRange(a.Importance.Sum(i => i.Fraction), 0, 1 + 1e-9);
        }

        var page = dir.File("scattered.html");
        var report = await CliRun.InvokeAsync(dir.Path, "report", "scattered", "--db", db, "-o", page);
        Assert.True(report.ExitCode == 0, report.ToString());
        var html = File.ReadAllText(page);
        Assert.Contains($"through a random forest fitted to its {Trials} finished trials", html);

        // Only a guard against a hung browser; nothing here depends on how long rendering takes.
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using var chromium = await HeadlessChromium.StartAsync(1400, 900, guard.Token);
        await chromium.LoadAsync(page, guard.Token);
        var measured = (await chromium.EvaluateAsync("""
            (function () {
              var plot = document.querySelector('[data-plot="importance"]');
              var svg = plot.querySelector('svg'), r = svg.getBoundingClientRect();
              return JSON.stringify({
                x: r.left + window.scrollX, y: r.top + window.scrollY, w: r.width, h: r.height,
                width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight,
                texts: Array.from(svg.querySelectorAll('text')).map(function (t) { return t.textContent.trim(); })
              });
            })()
            """, guard.Token))!.GetValue<string>();
        var info = JsonNode.Parse(measured)!;
        var texts = info["texts"]!.AsArray().Select(t => (string)t!).ToList();
        foreach (var name in new[] { "latent", "sigma", "lr", "interactions" }) Assert.Contains(name, texts);

        var shot = await chromium.ScreenshotAsync((int)info["width"]!, (int)info["height"]!, guard.Token);
        using var image = SKBitmap.Decode(shot);
        var (distinct, inked) = PlotInk.Measure(image, (double)info["x"]!, (double)info["y"]!, (double)info["w"]!, (double)info["h"]!);
        Assert.True(distinct >= 8 && inked >= 0.02, $"importance looks blank ({distinct} colours, {inked:P1} of pixels away from the background)");
        Assert.Empty(chromium.Errors);
    }
}
