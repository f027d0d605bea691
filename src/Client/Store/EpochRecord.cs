using VaeSweep.Model;

namespace VaeSweep.Client.Store;

/// <summary>A stored epoch and the attempt that wrote it. Metrics SQLite could not hold (NaN) read back as NaN.</summary>
public sealed record EpochRecord(string TrialId, int Attempt, EpochMetrics Metrics);
