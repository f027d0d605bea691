using System.Globalization;
using ScottPlot;
using VaeSweep.Client.Ranking;
using VaeSweep.Client.Spec;
using VaeSweep.Model;

namespace VaeSweep.Client.Report;

/// <summary>The report's charts, drawn by ScottPlot as SVG documents of a fixed pixel size.</summary>
internal static class ReportPlots
{
    public const int CurveWidth = 720, CurveHeight = 340;
    public const int EffectWidth = 440, EffectHeight = 320;
    public const int HeatWidth = 480, HeatHeight = 380;
    public const int ScatterWidth = 620, ScatterHeight = 480;
    public const int FeatureWidth = 720, FeatureHeight = 360;

    /// <summary>Test examples drawn in a per-feature plot: more would tangle the lines.</summary>
    public const int FeatureExamples = 4;

    private static readonly Color Faint = Colors.Gray.WithAlpha(0.45);

    /// <summary>
    /// One validation metric per epoch, one line per trial; the highlighted ones in colour and in a legend beside the
    /// plot (never over the late epochs), named by their swept values. The y range is the ranked trials' (far outliers
    /// left out by Tukey's 3 IQR fences), so one bad trial cannot squash the good ones; what falls beyond it is drawn
    /// at the edge and marked with a red triangle.
    /// </summary>
    public static string Curve(SweepReport report, string title, Func<EpochMetrics, double> metric)
    {
        var plot = NewPlot(title, "epoch", "nats per example");
        var palette = new ScottPlot.Palettes.Category10();
        var highlighted = report.Highlighted.ToList();
        var (low, high) = CurveRange(report, metric);
        var clippedX = new List<double>();
        var clippedY = new List<double>();
        // Faint lines first, so the highlighted ones are drawn on top, best first so the legend reads in rank order.
        foreach (var (id, epochs) in report.Curves.OrderBy(kv => highlighted.Contains(kv.Key) ? 1 : 0).ThenBy(kv => highlighted.IndexOf(kv.Key)))
        {
            var points = epochs.Where(e => double.IsFinite(metric(e))).ToList();
            if (points.Count == 0) continue;
            var xs = points.Select(e => (double)e.Epoch).ToArray();
            var ys = points.Select(e => Math.Clamp(metric(e), low, high)).ToArray();
            for (var i = 0; i < points.Count; i++)
                if (metric(points[i]) != ys[i])
                {
                    clippedX.Add(xs[i]);
                    clippedY.Add(ys[i]);
                }
            var line = plot.Add.Scatter(xs, ys);
            var rank = highlighted.IndexOf(id);
            if (rank >= 0)
            {
                line.Color = palette.GetColor(rank);
                line.LineWidth = 2.5f;
                line.MarkerSize = 5;
                line.LegendText = $"#{rank + 1} {TrialName(report, id)}";
            }
            else
            {
                line.Color = Faint;
                line.LineWidth = 1;
                line.MarkerSize = points.Count == 1 ? 4 : 0;
            }
        }
        if (clippedX.Count > 0)
        {
            var marks = plot.Add.ScatterPoints(clippedX.ToArray(), clippedY.ToArray());
            marks.Color = Colors.Red;
            marks.MarkerShape = MarkerShape.FilledTriangleDown;
            marks.MarkerSize = 8;
            marks.LegendText = "beyond the axis";
        }
        if (highlighted.Count > 0 || clippedX.Count > 0) plot.ShowLegend(Edge.Right);
        var pad = Math.Max(1e-9, (high - low) * 0.05);
        plot.Axes.SetLimitsY(low - pad, high + pad);
        IntegerTicks(plot.Axes.Bottom, report.Curves.Values.SelectMany(c => c).Select(e => e.Epoch).DefaultIfEmpty(1).Max());
        return plot.GetSvgXml(CurveWidth, CurveHeight);
    }

    /// <summary>
    /// The y range of a learning-curve plot: the ranked trials' values (every trial's when none is ranked yet), within
    /// Tukey's far-out fences (3 interquartile ranges beyond the quartiles); the best trials' values always inside.
    /// </summary>
    internal static (double Low, double High) CurveRange(SweepReport report, Func<EpochMetrics, double> metric)
    {
        var ranked = report.Ranking.Where(r => r.Rank is not null).Select(r => r.Trial).ToHashSet();
        var basis = report.Curves.Where(kv => ranked.Count == 0 || ranked.Contains(kv.Key))
            .SelectMany(kv => kv.Value).Select(metric).Where(double.IsFinite).Order().ToList();
        if (basis.Count == 0)
            basis = report.Curves.Values.SelectMany(c => c).Select(metric).Where(double.IsFinite).Order().ToList();
        if (basis.Count == 0) return (0, 1);
        double Quantile(double q) => basis[(int)Math.Round(q * (basis.Count - 1))];
        var (q1, q3) = (Quantile(0.25), Quantile(0.75));
        var fence = 3 * (q3 - q1);
        var low = Math.Max(basis[0], q1 - fence);
        var high = Math.Min(basis[^1], q3 + fence);
        foreach (var v in report.Highlighted.Where(report.Curves.ContainsKey).SelectMany(id => report.Curves[id]).Select(metric).Where(double.IsFinite))
        {
            low = Math.Min(low, v);
            high = Math.Max(high, v);
        }
        return low < high ? (low, high) : (low - 1, high + 1);
    }

    /// <summary>A trial by its swept values (what tells it apart from the others), or its short id when nothing is swept.</summary>
    private static string TrialName(SweepReport report, string id)
    {
        var values = report.Swept.Where(p => p.Values.ContainsKey(id)).Select(p => $"{p.Name}={p.Shown(p.Values[id])}").ToList();
        return values.Count == 0 ? TrialIdentity.Short(id) : string.Join(" ", values);
    }

    /// <summary>Held-out log-likelihood of each finished trial at its value of one parameter, ± one standard error.</summary>
    public static string Effect(ParameterEffect effect)
    {
        var p = effect.Parameter;
        var plot = NewPlot($"held-out LL against {p.Name}", p.Name + (p.LogScale ? " (log scale)" : ""), "held-out log-likelihood (nats)");
        var xs = effect.Points.Select(e => e.X).ToArray();
        var ys = effect.Points.Select(e => e.Ll).ToArray();
        if (xs.Length > 0)
        {
            var bars = plot.Add.ErrorBar(xs, ys, effect.Points.Select(e => e.Se).ToArray());
            bars.Color = Colors.Black;
            var points = plot.Add.ScatterPoints(xs, ys);
            points.Color = Colors.C0;
            points.MarkerSize = 7;
        }
        LevelTicks(plot.Axes.Bottom, p);
        plot.Axes.Margins(0.12, 0.12);
        return plot.GetSvgXml(EffectWidth, EffectHeight);
    }

    /// <summary>The best held-out log-likelihood in each cell of a grid over two parameters.</summary>
    public static string HeatMap(HeatMapGrid grid)
    {
        var plot = NewPlot($"best held-out LL: {grid.Y.Name} × {grid.X.Name}", grid.X.Name, grid.Y.Name);
        int rows = grid.Best.GetLength(0), columns = grid.Best.GetLength(1);
        var map = plot.Add.Heatmap(grid.Best);
        map.Colormap = new ScottPlot.Colormaps.Viridis();
        // Row 0 is the lowest level: draw it at the bottom, one unit cell per level centred on its index. The SVG
        // backend maps the first and last cells' centres to the extent's edges, so the extent runs centre to centre.
        map.FlipVertically = true;
        map.Extent = new CoordinateRect(0, columns - 1, 0, rows - 1);
        map.NaNCellColor = Colors.LightGray;
        // One finished cell (or several equal ones) gives the colour scale no width; widen it around that value.
        var finite = grid.Best.Cast<double>().Where(double.IsFinite).ToList();
        if (finite.Count > 0 && finite.Min() == finite.Max()) map.ManualRange = new ScottPlot.Range(finite[0] - 1, finite[0] + 1);
        plot.Add.ColorBar(map);
        for (var i = 0; i < rows; i++)
            for (var j = 0; j < columns; j++)
            {
                var value = grid.Best[i, j];
                var text = plot.Add.Text(double.IsNaN(value) ? "—" : value.ToString("F1", CultureInfo.InvariantCulture), j, i);
                text.LabelAlignment = Alignment.MiddleCenter;
                text.LabelFontColor = Colors.White;
                text.LabelBackgroundColor = Colors.Black.WithAlpha(0.35);
                text.LabelFontSize = 12;
            }
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, columns).Select(i => (double)i).ToArray(), grid.X.Levels.Select(l => l.Text).ToArray());
        plot.Axes.Left.SetTicks(Enumerable.Range(0, rows).Select(i => (double)i).ToArray(), grid.Y.Levels.Select(l => l.Text).ToArray());
        plot.Axes.SetLimits(-0.5, columns - 0.5, -0.5, rows - 0.5);
        plot.HideGrid();
        return plot.GetSvgXml(HeatWidth, HeatHeight);
    }

    /// <summary>Encoder means of test images in a two-dimensional latent space, one colour per class.</summary>
    public static string Latent(LatentScatter scatter)
    {
        var plot = NewPlot($"encoder means of {scatter.Labels.Length} test images, #{scatter.Rank} {TrialIdentity.Short(scatter.TrialId)}", "z₁", "z₂");
        var palette = new ScottPlot.Palettes.Category10();
        for (var k = 0; k < scatter.ClassNames.Count; k++)
        {
            var members = Enumerable.Range(0, scatter.Labels.Length).Where(i => scatter.Labels[i] == k).ToList();
            if (members.Count == 0) continue;
            var points = plot.Add.ScatterPoints(
                members.Select(i => (double)scatter.Means[2 * i]).ToArray(),
                members.Select(i => (double)scatter.Means[2 * i + 1]).ToArray());
            points.Color = palette.GetColor(k);
            points.MarkerSize = 4;
            points.LegendText = scatter.ClassNames[k];
        }
        plot.ShowLegend(Edge.Right);
        return plot.GetSvgXml(ScatterWidth, ScatterHeight);
    }

    /// <summary>
    /// Data without an image shape: the first few test examples over their feature index, each in its own colour, the
    /// example as points and its reconstruction as a line through the same features.
    /// </summary>
    public static string Features(TrialVisuals v)
    {
        var plot = NewPlot($"test examples (points) and reconstructions (lines), #{v.Rank} {TrialIdentity.Short(v.TrialId)}", "feature", "value");
        var palette = new ScottPlot.Palettes.Category10();
        var d = v.ImageColumns;
        var xs = Enumerable.Range(0, d).Select(i => (double)i).ToArray();
        for (var n = 0; n < Math.Min(v.Count, FeatureExamples); n++)
        {
            var color = palette.GetColor(n);
            var points = plot.Add.ScatterPoints(xs, v.Images!.Skip(n * d).Take(d).Select(f => (double)f).ToArray());
            points.Color = color;
            points.MarkerSize = 5;
            points.LegendText = $"example {n + 1}";
            var line = plot.Add.ScatterLine(xs, v.Reconstructions!.Skip(n * d).Take(d).Select(f => (double)f).ToArray());
            line.Color = color;
            line.LineWidth = 1.5f;
        }
        plot.ShowLegend(Edge.Right);
        return plot.GetSvgXml(FeatureWidth, FeatureHeight);
    }

    private static Plot NewPlot(string title, string x, string y)
    {
        var plot = new Plot();
        plot.Font.Set("DejaVu Sans");
        plot.Title(title, 14);
        plot.XLabel(x, 12);
        plot.YLabel(y, 12);
        return plot;
    }

    private static void IntegerTicks(IAxis axis, int last)
    {
        var step = Math.Max(1, (int)Math.Ceiling(last / 10.0));
        var ticks = Enumerable.Range(0, last / step + 1).Select(i => Math.Max(1, i * step)).Distinct().ToArray();
        axis.SetTicks(ticks.Select(t => (double)t).ToArray(), ticks.Select(t => t.ToString(CultureInfo.InvariantCulture)).ToArray());
    }

    /// <summary>
    /// Text levels, and a grid's few numeric levels, are labelled where they are, in readable form (3e-3, not
    /// 0.003000000000000000062). Random draws get round ticks: 1-2-5 per decade on a log axis, ScottPlot's own on a
    /// linear one; labels never carry more than four significant digits.
    /// </summary>
    private static void LevelTicks(IAxis axis, SweptParameter p)
    {
        var gridLike = p.Levels.Count <= 8 && p.Levels.Count < p.Values.Count;
        if (!p.Numeric || gridLike)
        {
            axis.SetTicks(p.Levels.Select(p.Position).ToArray(), p.Levels.Select(p.Shown).ToArray());
            return;
        }
        if (!p.LogScale)
        {
            axis.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
            {
                LabelFormatter = v => v.ToString("G4", CultureInfo.InvariantCulture),
            };
            return;
        }
        var (low, high) = (p.Position(p.Levels[0]), p.Position(p.Levels[^1]));
        var ticks = LogTicks(low, high, [1, 2, 5]);
        if (ticks.Count > 7) ticks = LogTicks(low, high, [1]);
        if (ticks.Count < 2) ticks = [low, high];
        axis.SetTicks(ticks.ToArray(), ticks.Select(t => ShownNumber.Scientific(Math.Pow(10, t))).ToArray());
    }

    /// <summary>Positions (log10) of m × 10^k within [low, high], slightly widened so the end draws get a tick nearby.</summary>
    internal static List<double> LogTicks(double low, double high, int[] mantissas)
    {
        var ticks = new List<double>();
        for (var k = (int)Math.Floor(low) - 1; k <= (int)Math.Ceiling(high); k++)
            foreach (var m in mantissas)
            {
                var t = Math.Log10(m) + k;
                if (t >= low - 0.05 && t <= high + 0.05) ticks.Add(t);
            }
        return ticks;
    }
}
