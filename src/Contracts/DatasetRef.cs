using VaeSweep.Model.Data;

namespace VaeSweep.Contracts;

/// <summary>
/// Where a trial's data lives and how it is split. Every host resolves the same paths locally, so the
/// files must be present at those paths on each silo's machine.
/// </summary>
/// <param name="Name">Free-form label (e.g. fashion-mnist).</param>
/// <param name="Path">Directory with the four IDX files; empty when the data comes from <paramref name="Train"/>.</param>
/// <param name="Validation">Examples carved from the training file for validation.</param>
/// <param name="SplitSeed">Seed of that carve (and of the test carve); shared by every trial of a sweep so they compare pairwise.</param>
/// <param name="Limit">Training examples used (0: all the rest).</param>
/// <param name="Train">A .npy, .npz or CSV training file instead of an IDX directory (see <see cref="DataSource"/>).</param>
/// <param name="Test">Its test file, or null to carve <paramref name="TestFraction"/> of the training file.</param>
/// <param name="Shape">A CSV's image shape as "HxWxC" (<see cref="DataShape.Code"/>), or null.</param>
/// <param name="Standardize">Z-score features by the training split's statistics.</param>
/// <param name="TrainSha256">The training file's content hash when the sweep was specified; a file that changed since fails the trial.</param>
[GenerateSerializer, Immutable]
public sealed record DatasetRef(
    [property: Id(0)] string Name,
    [property: Id(1)] string Path,
    [property: Id(2)] int Validation,
    [property: Id(3)] int SplitSeed,
    [property: Id(4)] int Limit,
    [property: Id(5)] string? Train = null,
    [property: Id(6)] string? Test = null,
    [property: Id(7)] double TestFraction = 0,
    [property: Id(8)] string? Labels = null,
    [property: Id(9)] string? Array = null,
    [property: Id(10)] string? Shape = null,
    [property: Id(11)] bool Standardize = false,
    [property: Id(12)] string? TrainSha256 = null,
    [property: Id(13)] string? TestSha256 = null)
{
    /// <summary>The files to load, or null for an IDX directory.</summary>
    public DataSource? Source => Train is null
        ? null
        : new DataSource(Train, Test, TestFraction, Labels, Array, DataShape.Parse(Shape), TrainSha256, TestSha256);
}
