namespace VaeSweep.Client.Report;

/// <summary>
/// What one of the best trials' decoder produced: the first test images as the model saw them, their
/// reconstructions (decoded encoder means), and samples from the prior. When the images cannot be made
/// (no stored weights, a missing dataset, another engine's checkpoint) they are null and <see cref="Note"/> says why.
/// </summary>
/// <param name="Images">[Count, ImageRows·ImageColumns] grey levels in [0, 1].</param>
/// <param name="WeightsEpoch">Epoch of the stored final weights, when there are any.</param>
public sealed record TrialVisuals(
    int Rank,
    string TrialId,
    string? Note,
    int? WeightsEpoch = null,
    int Count = 0,
    int ImageRows = 0,
    int ImageColumns = 0,
    float[]? Images = null,
    float[]? Reconstructions = null,
    float[]? PriorSamples = null)
{
    public bool HasImages => Images is not null && Reconstructions is not null && PriorSamples is not null;
}
