using VaeSweep.Client.Store;
using VaeSweep.Model;

namespace VaeSweep.Client.Ranking;

/// <summary>
/// The numbers of one trial that metrics read: its validation estimate, its last epoch and its training time. A stored
/// result and a trial that has just finished (the scheduler's view, before anything is read back) both give them, so
/// ranking and adaptive search score a trial the same way.
/// </summary>
public sealed record TrialNumbers(LogLikelihoodEstimate? Validation, EpochMetrics? LastEpoch, double? Seconds)
{
    public static TrialNumbers Of(TrialResult result) => new(result.Validation, result.LastEpoch, result.Trial.Seconds);
}
