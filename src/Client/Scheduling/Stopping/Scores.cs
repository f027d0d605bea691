using VaeSweep.Client.Spec;
using VaeSweep.Model;

namespace VaeSweep.Client.Scheduling.Stopping;

/// <summary>The per-epoch metrics a schedule can compare, read from an epoch's metrics; higher is better.</summary>
internal static class Scores
{
    /// <summary>The value of <paramref name="metric"/> (one of <see cref="ScheduleSpec.MetricNames"/>) in the epoch.</summary>
    public static double Of(string metric, EpochMetrics epoch) => metric switch
    {
        "val_elbo" => epoch.ValidationElbo,
        "train_elbo" => epoch.TrainElbo,
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "not a schedule metric"),
    };

    /// <summary>A score made comparable: a non-finite value (a trial going wrong) counts as the worst.</summary>
    public static double Orderable(double score) => double.IsFinite(score) ? score : double.NegativeInfinity;
}
