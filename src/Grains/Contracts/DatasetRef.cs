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
public sealed record DatasetRef(string Name, string Path, int Validation, int SplitSeed, int Limit);
