using VaeSweep.Client.Store;

namespace VaeSweep.Client.Ranking;

/// <summary>
/// Ranks a sweep's finished trials by the objective (held-out validation log-likelihood unless the sweep names another,
/// see <see cref="Objective"/>), best first, feasible before infeasible, and says for each whether it is
/// distinguishable from the best (see <see cref="PairedComparison"/>; only for the held-out log-likelihood). Pruned trials evaluated at
/// their rung rank after every finished one, whatever their estimate: they trained less, so theirs is not a fair race.
/// </summary>
public static class Ranker
{
    /// <summary>
    /// Ranked rows for the finished trials (ties broken by sweep order, then id), followed by the others
    /// unranked when <see cref="RankingOptions.IncludeUnfinished"/> is set.
    /// </summary>
    public static IReadOnlyList<RankedTrial> Rank(IEnumerable<TrialResult> results, RankingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(results);
        options ??= new RankingOptions();
        var errors = options.Validate();
        if (errors.Count > 0) throw new ArgumentException($"ranking options: {string.Join("; ", errors)}", nameof(options));

        var all = results.ToList();
        var objective = options.Objective;
        var ranked = all
            .Where(IsRankable)
            .OrderBy(r => r.Trial.Status == TrialStatus.Pruned)
            .ThenBy(r => !objective.IsFeasible(r))
            .ThenByDescending(r => objective.Score(r) ?? OrientedValue(objective, r) ?? double.NegativeInfinity)
            .ThenBy(r => r.Trial.Ordinal)
            .ThenBy(r => r.Trial.TrialId, StringComparer.Ordinal)
            .ToList();
        var front = ParetoFront.Members(all, options.ParetoMetrics);
        var onFront = all.Select((r, i) => (r, i)).ToDictionary(p => p.r, p => front[p.i]);

        var rows = new List<RankedTrial>(all.Count);
        var best = ranked.Count > 0 ? ranked[0] : null;
        for (var i = 0; i < ranked.Count; i++)
        {
            var comparison = i == 0 ? new Comparison(0, 0, Paired: true) : Compare(objective, best!, ranked[i]);
            rows.Add(Row(ranked[i], i + 1, comparison, options.Z, objective, onFront[ranked[i]]));
        }
        // Pruned trials always show, below the ranked ones: a sweep's ranking names what its schedule stopped.
        rows.AddRange(all.Where(r => !IsRankable(r) && (options.IncludeUnfinished || r.Trial.Status == TrialStatus.Pruned))
            .OrderBy(r => r.Trial.Ordinal).ThenBy(r => r.Trial.TrialId, StringComparer.Ordinal)
            .Select(r => Row(r, rank: null, comparison: null, options.Z, objective, onFront[r])));
        return rows;
    }

    // An infeasible trial still orders among the infeasible by its value.
    private static double? OrientedValue(Objective objective, TrialResult r) =>
        objective.Value(r) is { } v ? (objective.Direction == Direction.Maximize ? v : -v) : null;

    /// <summary>
    /// The paired test when the objective is the held-out log-likelihood; for any other metric only the gap in its
    /// own units (oriented so that a worse trial has a positive gap), with no standard error.
    /// </summary>
    private static Comparison? Compare(Objective objective, TrialResult best, TrialResult trial)
    {
        if (objective.IsHeldoutLl) return PairedComparison.Compare(best.Validation!, trial.Validation!);
        if (OrientedValue(objective, best) is not { } b || OrientedValue(objective, trial) is not { } t) return null;
        return new Comparison(b - t, double.NaN, Paired: false);
    }

    // A trial ranks once it has a held-out estimate, whatever the objective: every metric is taken at that evaluation.
    private static bool IsRankable(TrialResult r) =>
        r.Trial.Status is TrialStatus.Finished or TrialStatus.Pruned && r.Validation is not null;

    private static RankedTrial Row(TrialResult r, int? rank, Comparison? comparison, double z, Objective objective, bool pareto) => new(
        Trial: r.Trial.TrialId,
        Sweep: r.SweepName,
        Status: r.Trial.Status.ToDb(),
        Latent: r.Trial.Latent,
        Sigma: r.Trial.Sigma,
        Beta: r.Trial.Beta,
        Lr: r.Trial.LearningRate,
        HeldoutLl: r.Validation?.Mean,
        HeldoutLlSe: r.Validation?.StandardError,
        TestLl: r.Test?.Mean,
        Elbo: r.LastEpoch?.ValidationElbo,
        Kl: r.LastEpoch?.ValidationKl,
        Recon: r.LastEpoch?.ValidationRecon,
        Epochs: r.LastEpoch?.Epoch ?? 0,
        Seconds: r.Trial.Seconds,
        Rank: rank,
        Distinguishable: comparison is { } c && double.IsFinite(c.DiffSe) ? c.IsDistinguishable(z) : null,
        Diff: comparison?.Diff,
        DiffSe: comparison is { } d && double.IsFinite(d.DiffSe) ? d.DiffSe : null,
        Paired: comparison is { } p && double.IsFinite(p.DiffSe) ? p.Paired : null,
        ActiveUnits: r.Validation?.Latent?.ActiveUnits,
        Rate: r.Validation?.Latent?.Rate,
        Distortion: r.Validation?.Latent?.Distortion,
        LlElboGap: r.Validation is { } v ? v.Mean - v.MeanElbo : null,
        Objective: objective.Value(r),
        Feasible: r.Validation is null ? null : objective.IsFeasible(r),
        Pareto: r.Validation is null ? null : pareto,
        Attempts: r.Trial.Attempts,
        StartedAttempts: r.Trial.StartedAttempts);
}
