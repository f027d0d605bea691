namespace VaeSweep.Client.Spec;

/// <summary>
/// The spec's dataset section, shared by every trial of a sweep and part of each trial's identity.
/// Mirrors <c>VaeSweep.Grains.Contracts.DatasetRef</c> field for field.
/// </summary>
/// <param name="Name">Free-form label (e.g. fashion-mnist); defaults to the directory's name.</param>
/// <param name="Path">Directory with the four IDX files, exactly as written in the spec.</param>
/// <param name="Validation">Examples carved from the training file for validation (default 5000).</param>
/// <param name="SplitSeed">Seed of that carve (default 0).</param>
/// <param name="Limit">Training examples used, 0 for all (default 0).</param>
public sealed record DatasetSpec(string Name, string Path, int Validation = DatasetSpec.DefaultValidation, int SplitSeed = 0, int Limit = 0)
{
    public const int DefaultValidation = 5000;

    /// <summary>Every violated constraint as "field: what is wrong"; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Name)) errors.Add("name: must not be empty");
        if (string.IsNullOrWhiteSpace(Path)) errors.Add("path: must not be empty");
        if (Validation < 1) errors.Add($"validation: must be at least 1, got {Validation}");
        if (Limit < 0) errors.Add($"limit: must be 0 (all) or more, got {Limit}");
        return errors;
    }
}
