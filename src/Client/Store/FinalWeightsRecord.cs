namespace VaeSweep.Client.Store;

/// <summary>
/// A finished trial's final weights (after <see cref="Epoch"/> epochs): the weights of the checkpoint it finished
/// with (<c>TrainedVae.WeightsOnly</c>), or another engine's checkpoint as it came, kept so the report can run its decoder.
/// </summary>
/// <param name="Sha256">Lower-case hex SHA-256 of <see cref="Bytes"/>, verified when read.</param>
public sealed record FinalWeightsRecord(
    string TrialId,
    int Epoch,
    byte[] Bytes,
    string Sha256,
    DateTimeOffset CreatedAt);
