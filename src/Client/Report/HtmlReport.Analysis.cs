using System.Text;

namespace VaeSweep.Client.Report;

/// <summary>The analysis sections of the page (issue 21); each says why when its sweep cannot give it.</summary>
public static partial class HtmlReport
{
    private static void Analysis(StringBuilder html, SweepReport report)
    {
        var a = report.Analysis;
        html.Append("<section id=\"rate-distortion\">\n<h2>Rate and distortion</h2>\n");
        if (a is null || a.RatePoints.Count == 0) Missing(html, a?.RateNote ?? "No analysis was built for this report.");
        else
        {
            var front = a.RatePoints.Where(p => p.OnFront).OrderBy(p => p.Rate).ToList();
            html.Append("<p>Each finished trial at its rate (mean KL(q(z|x) ‖ p(z))) and distortion (mean −log p(x|z)) on the validation examples " +
                        "of its estimate; colour is β on a log scale (dark: smallest, yellow: largest), diamonds are the Pareto front, " +
                        "dashed lines are equal ELBO (rate + distortion = −ELBO; Alemi et al. 2018).</p>\n<div class=\"row\">\n");
            Figure(html, "rate-distortion", AnalysisPlots.RateDistortion(a.RatePoints), AnalysisPlots.Width, AnalysisPlots.Height);
            html.Append("</div>\n<p>On the front, by rate: ")
                .Append(E(string.Join(", ", front.Select(p => $"{(p.Rank is { } r ? $"#{r} " : "")}{Spec.TrialIdentity.Short(p.Trial)}"))))
                .Append(" (<code>vaesweep top --pareto</code>).</p>\n");
        }
        html.Append("</section>\n<section id=\"units\">\n<h2>KL per latent unit</h2>\n");
        if (a is null || a.Units.Count == 0) Missing(html, a?.UnitsNote ?? "No analysis was built for this report.");
        else
        {
            html.Append("<p>Which units the best trials use: each unit's mean KL on the validation examples; pale bars are inactive units " +
                        "(Cov_x(E_q[z_u|x]) at or below the threshold, Burda et al. 2015).</p>\n<div class=\"row\">\n");
            Figure(html, "units", AnalysisPlots.KlPerUnit(a.Units), AnalysisPlots.Width, AnalysisPlots.Height);
            html.Append("</div>\n");
        }
        html.Append("</section>\n<section id=\"coordinates\">\n<h2>Parallel coordinates</h2>\n");
        if (a is null || a.LinesNote is not null) Missing(html, a?.LinesNote ?? "No analysis was built for this report.");
        else
        {
            html.Append("<p>One line per finished trial through its value of each swept parameter, coloured by held-out log-likelihood.</p>\n<div class=\"row\">\n");
            Figure(html, "coordinates", AnalysisPlots.ParallelCoordinates(a.Axes, a.Lines), AnalysisPlots.Width, AnalysisPlots.Height);
            html.Append("</div>\n");
        }
        html.Append("</section>\n<section id=\"importance\">\n<h2>Parameter importance</h2>\n");
        if (a is null || a.Importance.Count == 0) Missing(html, a?.ImportanceNote ?? "No analysis was built for this report.");
        else
        {
            var of = a.ImportanceOf == "heldout_ll" ? "the held-out log-likelihood" : $"{a.ImportanceOf} (the sweep's objective)";
            var how = a.ImportanceMethod == ImportanceMethod.ExactGrid
                ? $"Functional ANOVA (Hutter et al. 2014) of {of} over the complete grid of swept levels: " +
                  "each parameter's main effect as a share of the variance; the rest is interactions."
                : $"Functional ANOVA (Hutter et al. 2014) of {of} through a random forest fitted to its {a.ImportanceTrials} finished trials " +
                  "(ML.NET FastForest), over the whole search space (log scale for log_uniform, an equal share per level for lists): each " +
                  "parameter's main effect as a share of the variance, averaged over the trees; the rest is interactions. It is a surrogate's " +
                  "estimate: with few trials, trust the order more than the digits.";
            html.Append("<p>").Append(E(how)).Append("</p>\n<div class=\"row\">\n");
            Figure(html, "importance", AnalysisPlots.Importance(a.Importance, a.ImportanceOf == "heldout_ll" ? "held-out LL" : a.ImportanceOf),
                AnalysisPlots.Width, AnalysisPlots.Height);
            html.Append("</div>\n");
        }
        html.Append("</section>\n");
    }

    private static void Missing(StringBuilder html, string why) => html.Append($"<p class=\"missing\">{E(why)}</p>\n");
}
