namespace VaeSweep.Client.Report;

/// <summary>Encoder means of test images for a trial with a two-dimensional latent space, with each image's class.</summary>
/// <param name="Means">[n, 2].</param>
/// <param name="ClassNames">Label for class k, by k.</param>
public sealed record LatentScatter(int Rank, string TrialId, float[] Means, byte[] Labels, IReadOnlyList<string> ClassNames);
