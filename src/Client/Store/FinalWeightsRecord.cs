namespace VaeSweep.Client.Store;

/// <summary>
/// A finished trial's final weights: the engine checkpoint it finished with (after <see cref="Epoch"/> epochs),
/// kept so the report can run its encoder and decoder.
/// </summary>
/// <param name="Sha256">Lower-case hex SHA-256 of <see cref="Bytes"/>, verified when read.</param>
public sealed record FinalWeightsRecord(
    string TrialId,
    int Epoch,
    byte[] Bytes,
    string Sha256,
    DateTimeOffset CreatedAt);
