namespace VaeSweep.Client.Report;

/// <summary>
/// What one of the best trials' decoder produced: the first test images as the model saw them, their
/// reconstructions (decoded encoder means), and samples from the prior. When the images cannot be made
/// (no stored weights, a missing dataset, another engine's checkpoint) they are null and <see cref="Note"/> says why.
/// </summary>
/// <param name="Images">[Count, D] examples in the data's units: D = ImageRows·ImageColumns·Channels for images.</param>
/// <param name="WeightsEpoch">Epoch of the stored final weights, when there are any.</param>
/// <param name="IsImage">Whether the examples are images (drawn as grids) rather than features (drawn as per-feature plots).</param>
/// <param name="Low">The value drawn black in a grid (0 for grey levels; the smallest shown test value for other data).</param>
/// <param name="High">The value drawn white.</param>
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
    float[]? PriorSamples = null,
    bool IsImage = true,
    int Channels = 1,
    float Low = 0,
    float High = 1)
{
    public bool HasImages => Images is not null && Reconstructions is not null && PriorSamples is not null;
}
