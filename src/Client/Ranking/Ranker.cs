using VaeSweep.Client.Store;

namespace VaeSweep.Client.Ranking;

/// <summary>
/// Ranks a sweep's finished trials by held-out (validation) log-likelihood, best first, and says for each
/// whether it is distinguishable from the best (see <see cref="PairedComparison"/>). Pruned trials evaluated at
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
        var ranked = all
            .Where(IsRankable)
            .OrderBy(r => r.Trial.Status == TrialStatus.Pruned)
            .ThenByDescending(r => double.IsNaN(r.Validation!.Mean) ? double.NegativeInfinity : r.Validation.Mean)
            .ThenBy(r => r.Trial.Ordinal)
            .ThenBy(r => r.Trial.TrialId, StringComparer.Ordinal)
            .ToList();

        var rows = new List<RankedTrial>(all.Count);
        var best = ranked.Count > 0 ? ranked[0].Validation! : null;
        for (var i = 0; i < ranked.Count; i++)
        {
            var comparison = i == 0
                ? new Comparison(0, 0, Paired: true)
                : PairedComparison.Compare(best!, ranked[i].Validation!);
            rows.Add(Row(ranked[i], i + 1, comparison, options.Z));
        }
        // Pruned trials always show, below the ranked ones: a sweep's ranking names what its schedule stopped.
        rows.AddRange(all.Where(r => !IsRankable(r) && (options.IncludeUnfinished || r.Trial.Status == TrialStatus.Pruned))
            .OrderBy(r => r.Trial.Ordinal).ThenBy(r => r.Trial.TrialId, StringComparer.Ordinal)
            .Select(r => Row(r, rank: null, comparison: null, options.Z)));
        return rows;
    }

    private static bool IsRankable(TrialResult r) =>
        r.Trial.Status is TrialStatus.Finished or TrialStatus.Pruned && r.Validation is not null;

    private static RankedTrial Row(TrialResult r, int? rank, Comparison? comparison, double z) => new(
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
        Distinguishable: comparison?.IsDistinguishable(z),
        Diff: comparison?.Diff,
        DiffSe: comparison?.DiffSe,
        Paired: comparison?.Paired);
}
