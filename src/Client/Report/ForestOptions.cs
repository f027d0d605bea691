namespace VaeSweep.Client.Report;

/// <summary>
/// The random-forest surrogate of parameter importance (see <see cref="ForestSurrogate"/>). Defaults follow Optuna's
/// FanovaImportanceEvaluator (64 trees, leaves as small as one trial, seeded) so the numbers are comparable.
/// </summary>
public sealed record ForestOptions
{
    /// <summary>Trees in the forest. Default 64; 1 to 1024.</summary>
    public int Trees { get; init; } = 64;

    /// <summary>Seed of the bagging, so the same database gives the same page. Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>
    /// Fewest finished trials a forest is fitted to: with fewer, each tree is a handful of leaves and the shares are
    /// mostly bagging noise, so the report says so instead. Default 8; at least 4.
    /// </summary>
    public int MinimumTrials { get; init; } = 8;

    /// <summary>Every violated constraint, as "field: what is wrong"; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Trees is < 1 or > 1024) errors.Add($"trees: must be between 1 and 1024, got {Trees}");
        if (MinimumTrials < 4) errors.Add($"minimum_trials: must be at least 4, got {MinimumTrials}");
        return errors;
    }
}
