using VaeSweep.Model;

namespace VaeSweep.Client.Store;

/// <summary>
/// Everything ranking needs about one trial of a sweep: the trial, its held-out estimates (null until
/// finished) and its last recorded epoch (null before the first).
/// </summary>
public sealed record TrialResult(
    string SweepName,
    TrialRecord Trial,
    LogLikelihoodEstimate? Validation,
    LogLikelihoodEstimate? Test,
    EpochMetrics? LastEpoch);
