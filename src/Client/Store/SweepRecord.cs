namespace VaeSweep.Client.Store;

/// <summary>A stored sweep: the spec text exactly as given and its SHA-256 (lower-case hex).</summary>
public sealed record SweepRecord(
    long SweepId,
    string Name,
    string SpecText,
    string SpecSha256,
    DateTimeOffset CreatedAt,
    SweepStatus Status);
