namespace VaeSweep.Client.Store;

/// <summary>One accepted version of a sweep's spec, with the trials it added to and removed from the sweep.</summary>
/// <param name="Identity">See <see cref="Spec.SweepIdentity"/>; null for a version 1 made by the schema migration.</param>
/// <param name="Settings">The schedule as canonical JSON; null when <paramref name="Identity"/> is.</param>
/// <param name="Added">Ids of the trials this version added, in sweep order.</param>
/// <param name="Removed">Ids of the trials that left the sweep with this version, in their former sweep order.</param>
public sealed record SweepVersion(
    int Version,
    string SpecText,
    string SpecSha256,
    string? Identity,
    string? Settings,
    DateTimeOffset CreatedAt,
    IReadOnlyList<string> Added,
    IReadOnlyList<string> Removed);
