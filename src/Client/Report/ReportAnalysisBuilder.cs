using VaeSweep.Client.Ranking;
using VaeSweep.Client.Store;

namespace VaeSweep.Client.Report;

/// <summary>Derives <see cref="ReportAnalysis"/> from the ranking and the stored results; pure.</summary>
public static class ReportAnalysisBuilder
{
    /// <param name="objective">The sweep's objective: importance explains its goal metric.</param>
    /// <param name="distributions">The spec's interval-drawn parameters (<see cref="SearchDistributions"/>): the surrogate's space.</param>
    public static ReportAnalysis Build(IReadOnlyList<RankedTrial> ranking, IReadOnlyList<TrialResult> results,
        IReadOnlyList<SweptParameter> swept, int best, Objective objective,
        IReadOnlyDictionary<string, SearchDistribution> distributions, ForestOptions forest)
    {
        var byId = results.ToDictionary(r => r.Trial.TrialId);
        var ranked = ranking.Where(r => r.Rank is not null).ToList();

        var points = ranked.Where(r => r.Rate is { } a && double.IsFinite(a) && r.Distortion is { } b && double.IsFinite(b))
            .Select(r => new RatePoint(r.Trial, r.Rank, r.Rate!.Value, r.Distortion!.Value, r.Beta, r.Pareto == true)).ToList();
        var rateNote = points.Count > 0 ? null : ranked.Count == 0
            ? "No trial has finished yet."
            : "No finished trial has rate and distortion: they were trained before these statistics were stored (schema 8).";

        var units = ranked.Take(best)
            .Select(r => (r, latent: byId.TryGetValue(r.Trial, out var res) ? res.Validation?.Latent : null))
            .Where(p => p.latent is not null)
            .Select(p => new UnitKls(p.r.Rank!.Value, p.r.Trial, p.latent!.KlPerDimension,
                [.. p.latent.Activity.Select(a => a > p.latent.ActiveThreshold)]))
            .ToList();
        var unitsNote = units.Count > 0 ? null : ranked.Count == 0
            ? "No trial has finished yet."
            : "The best trials have no KL per unit stored (trained before schema 8).";

        var withLl = ranked.Where(r => r.HeldoutLl is { } ll && double.IsFinite(ll)).ToList();
        var axes = swept.Where(p => p.Levels.Count > 1).ToList();
        var lines = withLl.Where(r => axes.All(a => a.Values.ContainsKey(r.Trial))).Select(r => (Trial: r.Trial, Ll: r.HeldoutLl!.Value)).ToList();
        string? linesNote = axes.Count < 2
            ? $"Parallel coordinates need at least two swept parameters; this sweep varies {axes.Count}."
            : lines.Count < 2 ? "Parallel coordinates need at least two finished trials." : null;

        // Importance explains the sweep's goal metric (held-out LL unless sweep.objective names another), constraints
        // aside: an infeasible trial still shows how the parameters move the metric.
        var target = ranked.Select(r => (r.Trial, Value: byId.TryGetValue(r.Trial, out var res) ? objective.Value(res) : null))
            .Where(p => p.Value is { } v && double.IsFinite(v) && axes.All(a => a.Values.ContainsKey(p.Trial)))
            .Select(p => (p.Trial, Value: p.Value!.Value)).ToList();
        IReadOnlyList<(string, double)> importance = [];
        string? importanceNote;
        var method = ImportanceMethod.ExactGrid;
        if (axes.Count < 2) importanceNote = $"Importance needs at least two swept parameters; this sweep varies {axes.Count}.";
        else if (target.Count < 2) importanceNote = $"Importance needs at least two finished trials with {objective.Metric.Name}.";
        else
        {
            var estimate = ParameterImportance.Estimate([.. axes.Select(a => SurrogateAxis.For(a, distributions.GetValueOrDefault(a.Name)))],
                [.. target.Select(t => t.Trial)], [.. target.Select(t => t.Value)], forest);
            (importanceNote, method) = (estimate.Note, estimate.Method);
            if (estimate.Fractions is { } fractions) importance = [.. axes.Select((a, i) => (a.Name, fractions[i]))];
        }
        return new ReportAnalysis(points, rateNote, units, unitsNote, axes, lines, linesNote, importance, importanceNote)
        {
            ImportanceMethod = method,
            ImportanceOf = objective.Metric.Name,
            ImportanceTrials = target.Count,
        };
    }
}
