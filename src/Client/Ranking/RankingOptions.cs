namespace VaeSweep.Client.Ranking;

/// <summary>How trials are compared with the best one.</summary>
public sealed record RankingOptions
{
    /// <summary>
    /// A trial is distinguishable from the best when the mean log-likelihood gap exceeds Z standard errors
    /// of that gap. Default 1.96 (a two-sided 5% test under a normal approximation). Positive and finite.
    /// </summary>
    public double Z { get; init; } = 1.96;

    /// <summary>
    /// Also list the sweep's trials that have no held-out estimate (pending, running, failed, diverged,
    /// cancelled) after the ranked ones, unranked. Default false: only finished trials are listed, and pruned ones
    /// (ranked after them with an estimate, unranked without).
    /// </summary>
    public bool IncludeUnfinished { get; init; }

    /// <summary>What orders the trials (the sweep's <c>sweep.objective</c>); default held-out log-likelihood.</summary>
    public Objective Objective { get; init; } = Objective.Default;

    /// <summary>The two metrics whose Pareto front the <see cref="RankedTrial.Pareto"/> column marks; default rate and distortion.</summary>
    public IReadOnlyList<(TrialMetric Metric, Direction Direction)> ParetoMetrics { get; init; } = ParetoFront.RateDistortion;

    /// <summary>Every violated constraint, as "field: what is wrong"; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!(Z > 0) || double.IsInfinity(Z)) errors.Add($"z: must be a positive number, got {Z}");
        if (Objective is null) errors.Add("objective: must be given");
        if (ParetoMetrics is null || ParetoMetrics.Count < 2) errors.Add("pareto: needs at least two metrics");
        return errors;
    }
}
