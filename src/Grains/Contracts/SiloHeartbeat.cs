namespace VaeSweep.Grains.Contracts;

/// <summary>A silo's periodic sign of life: who it is, its capacity, and what it is running.</summary>
public sealed record SiloHeartbeat(
    string Name,
    string Host,
    int Slots,
    IReadOnlyList<RunningTrial> Running,
    DateTimeOffset At);

/// <summary>One trial attempt a silo is running.</summary>
public sealed record RunningTrial(string TrialId, int Attempt);
