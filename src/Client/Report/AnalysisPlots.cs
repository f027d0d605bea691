using System.Globalization;
using ScottPlot;
using VaeSweep.Client.Spec;

namespace VaeSweep.Client.Report;

/// <summary>The analysis sections' charts (see <see cref="ReportAnalysis"/>), drawn by ScottPlot as SVG.</summary>
internal static class AnalysisPlots
{
    public const int Width = 620, Height = 440;

    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>
    /// Every trial at (rate, distortion), coloured by β on a log scale; the front joined; dashed lines of equal ELBO,
    /// rate + distortion = −ELBO, through the best and the worst ELBO shown (Alemi et al. 2018, figure 1).
    /// </summary>
    public static string RateDistortion(IReadOnlyList<RatePoint> points)
    {
        var plot = NewPlot("rate–distortion plane (validation)", "rate: mean KL(q(z|x) ‖ p(z)), nats", "distortion: mean −log p(x|z), nats");
        var colormap = new ScottPlot.Colormaps.Viridis();
        var betas = points.Select(p => Math.Log(Math.Max(p.Beta, 1e-12))).ToList();
        double low = betas.Min(), high = betas.Max();
        var sums = points.Select(p => p.Rate + p.Distortion).ToList();
        var (xMin, xMax) = (points.Min(p => p.Rate), points.Max(p => p.Rate));
        foreach (var elbo in sums.Min() == sums.Max() ? [sums.Min()] : new[] { sums.Min(), sums.Max() })
        {
            var pad = Math.Max(1, (xMax - xMin) * 0.2);
            var line = plot.Add.Line(xMin - pad, elbo - xMin + pad, xMax + pad, elbo - xMax - pad);
            line.Color = Colors.Gray;
            line.LinePattern = LinePattern.Dashed;
            line.LegendText = $"ELBO {(-elbo).ToString("F1", C)}";
        }
        var front = points.Where(p => p.OnFront).OrderBy(p => p.Rate).ToList();
        if (front.Count > 1)
        {
            var path = plot.Add.Scatter(front.Select(p => p.Rate).ToArray(), front.Select(p => p.Distortion).ToArray());
            path.Color = Colors.Red;
            path.MarkerSize = 0;
            path.LineWidth = 1.5f;
            path.LegendText = "Pareto front";
        }
        for (var i = 0; i < points.Count; i++)
        {
            var fraction = high > low ? (betas[i] - low) / (high - low) : 0.5;
            var marker = plot.Add.Marker(points[i].Rate, points[i].Distortion);
            marker.Color = colormap.GetColor(fraction);
            marker.Size = points[i].OnFront ? 11 : 8;
            marker.Shape = points[i].OnFront ? MarkerShape.FilledDiamond : MarkerShape.FilledCircle;
        }
        plot.ShowLegend(Alignment.UpperRight);
        plot.Axes.AutoScale();
        plot.Axes.SetLimits(xMin - Math.Max(0.5, (xMax - xMin) * 0.1), xMax + Math.Max(0.5, (xMax - xMin) * 0.1),
            points.Min(p => p.Distortion) - Math.Max(0.5, (points.Max(p => p.Distortion) - points.Min(p => p.Distortion)) * 0.1),
            points.Max(p => p.Distortion) + Math.Max(0.5, (points.Max(p => p.Distortion) - points.Min(p => p.Distortion)) * 0.1));
        return plot.GetSvgXml(Width, Height);
    }

    /// <summary>Mean KL per latent unit, one group of bars per best trial; inactive units drawn pale.</summary>
    public static string KlPerUnit(IReadOnlyList<UnitKls> trials)
    {
        var plot = NewPlot("KL per latent unit of the best trials", "latent unit", "mean KL(q(z_u|x) ‖ N(0,1)), nats");
        var palette = new ScottPlot.Palettes.Category10();
        var width = 0.8 / trials.Count;
        for (var t = 0; t < trials.Count; t++)
        {
            var colour = palette.GetColor(t);
            var bars = trials[t].Kl.Select((kl, u) => new Bar
            {
                Position = u + (t - (trials.Count - 1) / 2.0) * width,
                Value = double.IsFinite(kl) ? kl : 0,
                Size = width,
                FillColor = trials[t].Active[u] ? colour : colour.WithAlpha(0.25),
            }).ToList();
            var plotted = plot.Add.Bars(bars);
            plotted.LegendText = $"#{trials[t].Rank} {TrialIdentity.Short(trials[t].Trial)}: {trials[t].Active.Count(a => a)} of {trials[t].Kl.Length} active";
        }
        var units = trials.Max(t => t.Kl.Length);
        var step = Math.Max(1, units / 16);
        var ticks = Enumerable.Range(0, units).Where(u => u % step == 0).ToArray();
        plot.Axes.Bottom.SetTicks(ticks.Select(u => (double)u).ToArray(), ticks.Select(u => u.ToString(C)).ToArray());
        plot.Axes.Margins(bottom: 0);
        plot.ShowLegend(Alignment.UpperRight);
        return plot.GetSvgXml(Width, Height);
    }

    /// <summary>One polyline per finished trial across the swept parameters (each axis scaled to its levels' range), coloured by held-out LL.</summary>
    public static string ParallelCoordinates(IReadOnlyList<SweptParameter> axes, IReadOnlyList<(string Trial, double Ll)> lines)
    {
        var plot = NewPlot("swept parameters, coloured by held-out log-likelihood (yellow best)", "", "position within each parameter's range");
        var colormap = new ScottPlot.Colormaps.Viridis();
        double low = lines.Min(l => l.Ll), high = lines.Max(l => l.Ll);
        // Worst first, so the best are drawn on top.
        foreach (var (trial, ll) in lines.OrderBy(l => l.Ll))
        {
            var ys = axes.Select(a =>
            {
                double first = a.Position(a.Levels[0]), last = a.Position(a.Levels[^1]);
                return last > first ? (a.Position(a.Values[trial]) - first) / (last - first) : 0.5;
            }).ToArray();
            var line = plot.Add.Scatter(Enumerable.Range(0, axes.Count).Select(i => (double)i).ToArray(), ys);
            line.Color = colormap.GetColor(high > low ? (ll - low) / (high - low) : 1).WithAlpha(0.85);
            line.LineWidth = 2;
            line.MarkerSize = 5;
        }
        for (var i = 0; i < axes.Count; i++)
        {
            var axis = plot.Add.VerticalLine(i);
            axis.Color = Colors.Black.WithAlpha(0.5);
            var a = axes[i];
            var bottom = plot.Add.Text(a.Levels[0].Text, i, -0.04);
            bottom.LabelAlignment = Alignment.UpperCenter;
            var top = plot.Add.Text(a.Levels[^1].Text, i, 1.04);
            top.LabelAlignment = Alignment.LowerCenter;
        }
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, axes.Count).Select(i => (double)i).ToArray(), axes.Select(a => a.Name).ToArray());
        plot.Axes.SetLimits(-0.4, axes.Count - 0.6, -0.15, 1.15);
        return plot.GetSvgXml(Width, Height);
    }

    /// <summary>Each parameter's main-effect share of the metric's variance, with what is left to interactions.</summary>
    /// <param name="metric">The metric explained, as the title names it.</param>
    public static string Importance(IReadOnlyList<(string Parameter, double Fraction)> importance, string metric = "held-out LL")
    {
        var plot = NewPlot($"parameter importance for {metric} (functional ANOVA)", "", "share of variance");
        var items = importance.Append(("interactions", Math.Max(0, 1 - importance.Sum(i => i.Fraction)))).ToList();
        var bars = items.Select((item, i) => new Bar
        {
            Position = i,
            Value = item.Item2,
            FillColor = i < importance.Count ? Colors.C0 : Colors.Gray,
            Label = item.Item2.ToString("P0", C),
        }).ToList();
        var plotted = plot.Add.Bars(bars);
        plotted.ValueLabelStyle.FontSize = 12;
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, items.Count).Select(i => (double)i).ToArray(), items.Select(i => i.Item1).ToArray());
        plot.Axes.SetLimits(-0.6, items.Count - 0.4, 0, 1.1);
        return plot.GetSvgXml(Width, Height);
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
}
