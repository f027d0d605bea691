using VaeSweep.Client.Store;

namespace VaeSweep.Client.Ranking;

/// <summary>Ranking rows as a result set with the snake_case column names the JSON and CSV output use.</summary>
public static class RankingTable
{
    public static IReadOnlyList<string> Columns { get; } =
    [
        "trial", "sweep", "status", "latent", "sigma", "beta", "lr", "heldout_ll", "heldout_ll_se", "test_ll",
        "elbo", "kl", "recon", "epochs", "seconds", "rank", "distinguishable", "diff", "diff_se", "paired",
        "active_units", "rate", "distortion", "ll_elbo_gap", "objective", "feasible", "pareto",
        "attempts", "started_attempts",
    ];

    public static QueryResult ToQueryResult(IEnumerable<RankedTrial> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return new QueryResult(Columns, rows.Select(r => (IReadOnlyList<object?>)new object?[]
        {
            r.Trial, r.Sweep, r.Status, (long)r.Latent, r.Sigma, r.Beta, r.Lr, r.HeldoutLl, r.HeldoutLlSe, r.TestLl,
            r.Elbo, r.Kl, r.Recon, (long)r.Epochs, r.Seconds, (long?)r.Rank, r.Distinguishable, r.Diff, r.DiffSe, r.Paired,
            (long?)r.ActiveUnits, r.Rate, r.Distortion, r.LlElboGap, r.Objective, r.Feasible, r.Pareto,
            (long)r.Attempts, (long)r.StartedAttempts,
        }).ToList());
    }
}
