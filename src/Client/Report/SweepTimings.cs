namespace VaeSweep.Client.Report;

/// <summary>How long the sweep's trials took: trial seconds as recorded, and the wall-clock span they ran in.</summary>
/// <param name="TrialSeconds">Sum of the trials' recorded seconds (training and estimation).</param>
/// <param name="MeanSamplesPerSecond">Mean training throughput over every recorded epoch.</param>
public sealed record SweepTimings(
    double TrialSeconds,
    double? MedianTrialSeconds,
    double? MaxTrialSeconds,
    DateTimeOffset? FirstStart,
    DateTimeOffset? LastFinish,
    double? MeanSamplesPerSecond)
{
    public TimeSpan? WallSpan => FirstStart is { } s && LastFinish is { } f && f >= s ? f - s : null;
}
