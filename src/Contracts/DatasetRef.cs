namespace VaeSweep.Grains.Contracts;

/// <summary>
/// Where a trial's data lives and how it is split. Every host resolves the same path locally, so the
/// files must be present at that path on each silo's machine.
/// </summary>
/// <param name="Name">Free-form label (e.g. fashion-mnist).</param>
/// <param name="Path">Directory with the four IDX files.</param>
/// <param name="Validation">Examples carved from the training file for validation.</param>
/// <param name="SplitSeed">Seed of that carve; shared by every trial of a sweep so they compare pairwise.</param>
/// <param name="Limit">Training examples used (0: all the rest).</param>
[GenerateSerializer, Immutable]
public sealed record DatasetRef(
    [property: Id(0)] string Name,
    [property: Id(1)] string Path,
    [property: Id(2)] int Validation,
    [property: Id(3)] int SplitSeed,
    [property: Id(4)] int Limit);
