namespace VaeSweep.Client.Spec;

/// <summary>Which early-stopping rule a sweep uses.</summary>
public enum ScheduleKind
{
    /// <summary>Every trial trains all its epochs (the default).</summary>
    None,

    /// <summary>Asynchronous successive halving (Li et al. 2018): at rungs grace·reduction^k, keep the top 1/reduction.</summary>
    Asha,

    /// <summary>Median stopping (Golovin et al. 2017): from grace on, stop a trial whose best is below the median of the others' running means.</summary>
    Median,
}

/// <summary>
/// The spec's <c>schedule:</c> section. Decisions are the client's, made against the trials before it in
/// sweep order, so the same spec stops the same trials wherever and however fast they run.
/// </summary>
/// <param name="Metric">Per-epoch metric compared, higher is better: val_elbo (default) or train_elbo.</param>
/// <param name="Grace">Epochs every trial trains before it can be stopped (default 1); less than every trial's epochs.</param>
/// <param name="Reduction">ASHA's η (default 3, at least 2): rungs at grace·η^k, the top 1/η of each continue.</param>
/// <param name="MinTrials">Earlier trials with a score at a rung needed before anything is stopped there (default 3).</param>
/// <param name="EvaluatePruned">Estimate the held-out likelihood of pruned trials at their rung (default false).</param>
public sealed record ScheduleSpec(
    ScheduleKind Kind, string Metric = ScheduleSpec.DefaultMetric, int Grace = 1, int Reduction = 3, int MinTrials = 3,
    bool EvaluatePruned = false)
{
    public const string DefaultMetric = "val_elbo";

    /// <summary>No early stopping.</summary>
    public static ScheduleSpec None { get; } = new(ScheduleKind.None);

    /// <summary>The kinds as spelled in a spec.</summary>
    public static IReadOnlyList<string> KindNames { get; } = ["none", "asha", "median"];

    /// <summary>The metrics a schedule can compare, as spelled in a spec.</summary>
    public static IReadOnlyList<string> MetricNames { get; } = ["val_elbo", "train_elbo"];

    public string KindName => KindNames[(int)Kind];

    /// <summary>Problems with the values, each starting with the key it is about; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!MetricNames.Contains(Metric)) problems.Add($"metric: must be one of {string.Join(", ", MetricNames)}, got {Metric}");
        if (Grace < 1) problems.Add($"grace: must be 1 or more epochs, got {Grace}");
        if (Reduction < 2) problems.Add($"reduction: must be 2 or more (the top 1/reduction continue at each rung), got {Reduction}");
        if (MinTrials < 1) problems.Add($"min_trials: must be 1 or more, got {MinTrials}");
        return problems;
    }
}
