using System.Globalization;
using System.Net;
using System.Text;
using VaeSweep.Client.Ranking;
using VaeSweep.Client.Spec;
using VaeSweep.Client.Store;

namespace VaeSweep.Client.Report;

/// <summary>
/// Draws a <see cref="SweepReport"/> as one self-contained HTML page: inline SVG charts, PNG image grids as
/// data URIs, inline CSS and one small sorting script. A content security policy forbids every fetch, so the
/// page is the same offline as online.
/// </summary>
public static partial class HtmlReport
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;
    private static readonly string[] RankingBaseColumns = ["latent", "sigma", "beta", "lr"];

    public static string Render(SweepReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var html = new StringBuilder(256 * 1024);
        var name = report.Sweep.Name;
        html.Append($"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
            <title>VaeSweep report: {E(name)}</title>
            <style>{Css}</style>
            </head>
            <body>
            <h1>Sweep <code>{E(name)}</code></h1>
            <p class="summary">{E(Summary(report))}</p>
            <nav><a href="#ranking">ranking</a> · <a href="#curves">learning curves</a> · <a href="#parameters">parameters</a> · <a href="#images">images</a> · <a href="#latent">latent space</a> · <a href="#rate-distortion">rate–distortion</a> · <a href="#units">KL per unit</a> · <a href="#coordinates">parallel coordinates</a> · <a href="#importance">importance</a> · <a href="#spec">spec, engine, timings</a></nav>

            """);
        Ranking(html, report);
        Curves(html, report);
        Parameters(html, report);
        Images(html, report);
        Latent(html, report);
        Analysis(html, report);
        SpecAndTimings(html, report);
        html.Append($"<script>{Script}</script>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static string Summary(SweepReport report)
    {
        var counts = string.Join(", ", report.StatusCounts.Select(s => $"{s.Trials} {s.Status}"));
        return $"{report.Ranking.Count} trials ({(counts.Length == 0 ? "none yet" : counts)}); sweep {report.Sweep.Status.ToString().ToLowerInvariant()}; " +
               $"report generated {Timestamps.ToText(report.GeneratedAt)}.";
    }

    private static void Ranking(StringBuilder html, SweepReport report)
    {
        var extra = report.Swept.Where(p => !RankingBaseColumns.Contains(p.Name)).ToList();
        html.Append("""
            <section id="ranking">
            <h2>Ranking</h2>
            <p>Finished trials by held-out (validation) log-likelihood, as <code>vaesweep top</code> ranks them; test beside it, never used to choose.
            <em>diff</em> is the best's held-out LL minus this trial's, with its standard error from the paired per-example comparison (<em>paired</em> false: unpaired fallback);
            <em>distinguishable</em>: more than 1.96 standard errors worse. Other trials follow, unranked and marked. Click a heading to sort.</p>
            <div class="scroll"><table class="sortable" id="ranking-table"><thead><tr>
            """);
        var headings = new List<string> { "rank", "trial", "status" };
        headings.AddRange(RankingBaseColumns);
        headings.AddRange(extra.Select(p => p.Name));
        headings.AddRange(["held-out LL", "± se", "test LL", "ELBO", "KL", "recon", "epochs", "seconds", "diff", "± diff se", "distinguishable", "paired", "note"]);
        foreach (var h in headings) html.Append($"<th>{E(h)}</th>");
        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var r in report.Ranking)
        {
            report.Trials.TryGetValue(r.Trial, out var trial);
            html.Append($"<tr class=\"status-{E(r.Status)}{(report.Highlighted.Contains(r.Trial) ? " best" : "")}\" data-trial=\"{E(r.Trial)}\">");
            Cell(html, r.Rank);
            html.Append($"<td data-v=\"{E(r.Trial)}\" title=\"{E(r.Trial)}\"><code>{E(TrialIdentity.Short(r.Trial))}</code></td>");
            html.Append($"<td data-v=\"{E(r.Status)}\"><span class=\"badge {E(r.Status)}\">{E(r.Status)}</span></td>");
            Cell(html, r.Latent);
            Cell(html, r.Sigma, "G4");
            Cell(html, r.Beta, "G4");
            // Scientific, three significant digits: a learning rate's 18 digits only stretch the table.
            ShownCell(html, r.Lr, r.Lr > 0 ? ShownNumber.Scientific(r.Lr) : ResultFormatter.ExactText(r.Lr));
            foreach (var p in extra)
            {
                if (p.Values.TryGetValue(r.Trial, out var v))
                    html.Append(v.Number is { } n ? $"<td data-t=\"n\" data-v=\"{n.ToString("R", C)}\" title=\"{E(v.Text)}\">{E(p.Shown(v))}</td>" : $"<td data-v=\"{E(v.Text)}\">{E(v.Text)}</td>");
                else html.Append("<td></td>");
            }
            Cell(html, r.HeldoutLl, "F2");
            Cell(html, r.HeldoutLlSe, "F2");
            Cell(html, r.TestLl, "F2");
            Cell(html, r.Elbo, "F2");
            Cell(html, r.Kl, "F2");
            Cell(html, r.Recon, "F2");
            Cell(html, r.Epochs);
            Cell(html, r.Seconds, "F1");
            Cell(html, r.Diff, "F2");
            Cell(html, r.DiffSe, "F2");
            html.Append($"<td data-v=\"{Bool(r.Distinguishable)}\">{Bool(r.Distinguishable)}</td><td data-v=\"{Bool(r.Paired)}\">{Bool(r.Paired)}</td>");
            html.Append($"<td class=\"note\">{E(Note(r, trial))}</td></tr>\n");
        }
        html.Append("</tbody></table></div>\n</section>\n");
    }

    private static string Note(RankedTrial r, TrialRecord? trial) => r.Status switch
    {
        "diverged" => $"diverged at epoch {trial?.DivergedEpoch}: {trial?.Error}",
        "failed" => $"failed after {trial?.Attempts} attempt(s): {trial?.Error}",
        "running" => $"running: {r.Epochs} of {trial?.Epochs} epochs recorded",
        "finished" => "",
        "pruned" => $"pruned at epoch {r.Epochs} of {trial?.Epochs} by the schedule" + (r.HeldoutLl is null ? "" : "; evaluated there, ranked after the finished trials"),
        _ => trial?.Error ?? "",
    };

    private static void Curves(StringBuilder html, SweepReport report)
    {
        html.Append("""
            <section id="curves">
            <h2>Learning curves</h2>
            <p>Validation ELBO, KL and reconstruction term per epoch (β = 1 in the ELBO, whatever the trial trained with), one line per trial; the best trials in colour.</p>
            <div class="row">
            """);
        Figure(html, "curve-elbo", ReportPlots.Curve(report, "validation ELBO", e => e.ValidationElbo), ReportPlots.CurveWidth, ReportPlots.CurveHeight);
        Figure(html, "curve-kl", ReportPlots.Curve(report, "validation KL(q‖p)", e => e.ValidationKl), ReportPlots.CurveWidth, ReportPlots.CurveHeight);
        Figure(html, "curve-recon", ReportPlots.Curve(report, "validation reconstruction −log p(x|z)", e => e.ValidationRecon), ReportPlots.CurveWidth, ReportPlots.CurveHeight);
        html.Append("</div>\n</section>\n");
    }

    private static void Parameters(StringBuilder html, SweepReport report)
    {
        html.Append("<section id=\"parameters\">\n<h2>Held-out log-likelihood against the swept parameters</h2>\n");
        if (report.Swept.Count == 0)
        {
            html.Append("<p class=\"missing\">No parameter differs between this sweep's trials.</p>\n</section>\n");
            return;
        }
        html.Append("<p>Each finished trial at its value, with ± one standard error over the estimated examples.</p>\n<div class=\"row\">\n");
        foreach (var effect in report.Effects)
            Figure(html, $"effect-{effect.Parameter.Name}", ReportPlots.Effect(effect), ReportPlots.EffectWidth, ReportPlots.EffectHeight);
        html.Append("</div>\n");
        if (report.HeatMaps.Count > 0)
        {
            html.Append("<h3>Gridded pairs</h3>\n<p>The best held-out log-likelihood among the finished trials of each cell (grey: none finished).</p>\n<div class=\"row\">\n");
            foreach (var grid in report.HeatMaps)
                if (!grid.Best.Cast<double>().Any(double.IsFinite))
                    html.Append($"<p class=\"missing\">{E(grid.Y.Name)} × {E(grid.X.Name)}: no cell has a finished trial yet.</p>\n");
                else Figure(html, $"heat-{grid.X.Name}-{grid.Y.Name}", ReportPlots.HeatMap(grid), ReportPlots.HeatWidth, ReportPlots.HeatHeight);
            html.Append("</div>\n");
        }
        html.Append("</section>\n");
    }

    private static void Images(StringBuilder html, SweepReport report)
    {
        html.Append("<section id=\"images\">\n<h2>The best trials' decoders</h2>\n");
        if (report.Visuals.Count == 0) html.Append("<p class=\"missing\">No trial has finished yet.</p>\n");
        else html.Append("<p>Test examples as the model sees them (in the data's units), their reconstructions (the decoder's mean at the encoder's mean), and decoder means at samples from the prior N(0, I), from each trial's stored final weights. Images are drawn as grids; data without an image shape as one plot per example over its features.</p>\n");
        foreach (var v in report.Visuals)
        {
            html.Append($"<div class=\"trial\" data-trial=\"{E(v.TrialId)}\"><h3>#{v.Rank} <code>{E(TrialIdentity.Short(v.TrialId))}</code>{E(Describe(report, v.TrialId))}</h3>\n");
            if (!v.HasImages)
            {
                html.Append($"<p class=\"missing\">No images: {E(v.Note ?? "")}.</p></div>\n");
                continue;
            }
            if (!v.IsImage)
            {
                var shown = Math.Min(v.Count, ReportPlots.FeatureExamples);
                html.Append($"<p class=\"small\">Weights after epoch {v.WeightsEpoch}; first {shown} test examples, {v.ImageColumns} features each.</p><div class=\"row\">\n");
                Figure(html, $"features-{v.Rank}", ReportPlots.Features(v), ReportPlots.FeatureWidth, ReportPlots.FeatureHeight);
                html.Append("</div></div>\n");
                continue;
            }
            html.Append($"<p class=\"small\">Weights after epoch {v.WeightsEpoch}; first {v.Count} test images.</p><div class=\"row\">\n");
            Grid(html, $"images-{v.Rank}", "test images", v.Images!, v);
            Grid(html, $"recon-{v.Rank}", "reconstructions", v.Reconstructions!, v);
            Grid(html, $"prior-{v.Rank}", "samples from the prior", v.PriorSamples!, v);
            html.Append("</div></div>\n");
        }
        html.Append("</section>\n");
    }

    private static string Describe(SweepReport report, string trialId)
    {
        var values = report.Swept.Where(p => p.Values.ContainsKey(trialId)).Select(p => $"{p.Name} {p.Values[trialId].Text}").ToList();
        return values.Count == 0 ? "" : $" ({string.Join(", ", values)})";
    }

    private static void Latent(StringBuilder html, SweepReport report)
    {
        html.Append("<section id=\"latent\">\n<h2>Latent space (latent size 2)</h2>\n");
        if (report.Latent2 is { } scatter)
        {
            html.Append($"<p>The best trial with a two-dimensional latent space: encoder means μ of its first {scatter.Labels.Length} test images, coloured by class.</p>\n");
            Figure(html, "latent2", ReportPlots.Latent(scatter), ReportPlots.ScatterWidth, ReportPlots.ScatterHeight);
        }
        else html.Append($"<p class=\"missing\">No latent plot: {E(report.Latent2Note ?? "")}.</p>\n");
        html.Append("</section>\n");
    }

    private static void SpecAndTimings(StringBuilder html, SweepReport report)
    {
        var t = report.Timings;
        html.Append("<section id=\"spec\">\n<h2>Spec, engine and timings</h2>\n<table class=\"facts\">\n");
        Fact(html, "sweep", $"{report.Sweep.Name} ({report.Sweep.Status.ToString().ToLowerInvariant()}, created {Timestamps.ToText(report.Sweep.CreatedAt)})");
        Fact(html, "spec sha256", report.Sweep.SpecSha256);
        Fact(html, "trained by", string.Join("; ", report.Engines.Select(e => $"{e.Engine} ({e.Trials} trial{(e.Trials == 1 ? "" : "s")})")));
        Fact(html, "images decoded by", report.ReportEngine);
        Fact(html, "trial seconds", $"{t.TrialSeconds.ToString("F1", C)} s in all" +
            (t.MedianTrialSeconds is { } m ? $"; median {m.ToString("F1", C)} s, longest {t.MaxTrialSeconds!.Value.ToString("F1", C)} s per trial" : ""));
        Fact(html, "wall clock", t.WallSpan is { } span
            ? $"{span.TotalSeconds.ToString("F1", C)} s from the first start ({Timestamps.ToText(t.FirstStart!.Value)}) to the last finish ({Timestamps.ToText(t.LastFinish!.Value)})"
            : "no trial has both started and finished");
        Fact(html, "training throughput", t.MeanSamplesPerSecond is { } s ? $"{s.ToString("F0", C)} samples/s per trial, mean over epochs" : "no epoch recorded");
        html.Append("</table>\n<h3>Spec as given</h3>\n");
        html.Append($"<pre class=\"spec\">{E(report.Sweep.SpecText)}</pre>\n</section>\n");
    }

    private static void Fact(StringBuilder html, string name, string value) =>
        html.Append($"<tr><th>{E(name)}</th><td>{E(value)}</td></tr>\n");

    private static void Figure(StringBuilder html, string id, string svg, int width, int height) =>
        html.Append($"<figure class=\"plot\" id=\"plot-{E(id)}\" data-plot=\"{E(id)}\" style=\"width:{width}px;height:{height}px\">")
            .Append(SvgInline.Prepare(svg, "p-" + id)).Append("</figure>\n");

    private static void Grid(StringBuilder html, string id, string caption, float[] images, TrialVisuals v)
    {
        var (width, height) = ImageGrid.Size(v.Count, v.ImageRows, v.ImageColumns);
        var png = Convert.ToBase64String(ImageGrid.Png(images, v.Count, v.ImageRows, v.ImageColumns, v.Channels, v.Low, v.High));
        html.Append($"<figure class=\"grid\"><img class=\"plot\" id=\"plot-{E(id)}\" data-plot=\"{E(id)}\" width=\"{width}\" height=\"{height}\" alt=\"{E(caption)}\" src=\"data:image/png;base64,{png}\">")
            .Append($"<figcaption>{E(caption)}</figcaption></figure>\n");
    }

    private static void Cell(StringBuilder html, double? value, string? format = null)
    {
        if (value is not { } d) { html.Append("<td></td>"); return; }
        ShownCell(html, d, format is null || !double.IsFinite(d) ? ResultFormatter.ExactText(d) : d.ToString(format, C));
    }

    /// <summary>A number shown as <paramref name="shown"/>, sorting and hovering by its exact value.</summary>
    private static void ShownCell(StringBuilder html, double d, string shown)
    {
        var exact = ResultFormatter.ExactText(d);
        html.Append($"<td data-t=\"n\" data-v=\"{E(exact)}\" title=\"{E(exact)}\">{E(shown)}</td>");
    }

    private static void Cell(StringBuilder html, int? value) =>
        html.Append(value is { } i ? $"<td data-t=\"n\" data-v=\"{i.ToString(C)}\">{i.ToString(C)}</td>" : "<td></td>");

    private static string Bool(bool? value) => value is { } b ? (b ? "true" : "false") : "";

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private const string Css = """
        body { font-family: "DejaVu Sans", sans-serif; margin: 1.5em; color: #222; }
        h1 code, h3 code { font-size: 0.95em; }
        nav { margin-bottom: 1em; }
        section { margin: 2em 0; }
        .row { display: flex; flex-wrap: wrap; gap: 1em; align-items: flex-start; }
        figure { margin: 0; }
        figure.plot { border: 1px solid #ddd; }
        figure.plot svg { image-rendering: pixelated; }   /* heat map cells are a tiny image scaled up: keep them square */
        .scroll { overflow-x: auto; }
        figure.grid { text-align: center; }
        figure.grid img { display: block; image-rendering: pixelated; }
        table.sortable { border-collapse: collapse; font-size: 0.85em; }
        table.sortable th { cursor: pointer; background: #eee; position: sticky; top: 0; }
        table.sortable th[data-dir="asc"]::after { content: " ▲"; }
        table.sortable th[data-dir="desc"]::after { content: " ▼"; }
        table.sortable td, table.sortable th { border: 1px solid #ccc; padding: 2px 6px; text-align: right; }
        table.sortable td[data-t="n"] { white-space: nowrap; }
        table.sortable td.note { text-align: left; max-width: 28em; }
        tr.best td { background: #eef6ff; }
        tr.status-failed td, tr.status-diverged td { background: #fdeaea; }
        tr.status-running td, tr.status-pending td { background: #fffbe6; }
        tr.status-pruned td, tr.status-cancelled td { background: #f3f3f3; }
        .badge { padding: 0 4px; border-radius: 3px; }
        .badge.failed, .badge.diverged { background: #c62828; color: white; }
        .badge.running, .badge.pending { background: #f9a825; }
        .badge.pruned, .badge.cancelled { background: #9e9e9e; color: white; }
        .missing { color: #8a4b00; font-style: italic; }
        .small { font-size: 0.85em; color: #555; }
        table.facts th { text-align: left; padding-right: 1em; vertical-align: top; }
        pre.spec { background: #f6f6f6; padding: 0.8em; border: 1px solid #ddd; }
        """;

    // Sorts by the clicked column; numbers numerically, text ordinally, empty cells last either way.
    private const string Script = """
        document.querySelectorAll('table.sortable').forEach(function (table) {
          table.querySelectorAll('th').forEach(function (th, column) {
            th.addEventListener('click', function () {
              var ascending = th.dataset.dir !== 'asc';
              table.querySelectorAll('th').forEach(function (h) { delete h.dataset.dir; });
              th.dataset.dir = ascending ? 'asc' : 'desc';
              var key = function (row) {
                var cell = row.cells[column];
                var v = cell ? cell.dataset.v : undefined;
                if (v === undefined || v === '') return null;
                return cell.dataset.t === 'n' ? parseFloat(v) : v;
              };
              var body = table.tBodies[0];
              Array.from(body.rows).sort(function (a, b) {
                var x = key(a), y = key(b);
                if (x === null) return y === null ? 0 : 1;
                if (y === null) return -1;
                return (x < y ? -1 : x > y ? 1 : 0) * (ascending ? 1 : -1);
              }).forEach(function (row) { body.appendChild(row); });
            });
          });
        });
        """;
}
