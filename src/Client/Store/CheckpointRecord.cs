namespace VaeSweep.Client.Store;

/// <summary>A trial's latest checkpoint, after <see cref="Epoch"/> epochs of attempt <see cref="Attempt"/>.</summary>
/// <param name="Sha256">Lower-case hex SHA-256 of <see cref="Bytes"/>, verified when read.</param>
public sealed record CheckpointRecord(
    string TrialId,
    int Epoch,
    int Attempt,
    byte[] Bytes,
    string Sha256,
    DateTimeOffset CreatedAt);
