using System.Text.RegularExpressions;
using VaeSweep.Contracts;
using VaeSweep.Model.Data;

namespace VaeSweep.Client.Spec;

/// <summary>
/// The spec's dataset section, shared by every trial of a sweep and part of each trial's identity: an IDX directory
/// (<see cref="Path"/>) or files of numbers (<see cref="Train"/>, with the content hashes read when the spec was parsed).
/// Mirrors <c>VaeSweep.Contracts.DatasetRef</c> field for field.
/// </summary>
/// <param name="Name">Free-form label (e.g. fashion-mnist); defaults to the directory's or training file's name.</param>
/// <param name="Path">Directory with the four IDX files, exactly as written in the spec; empty for file datasets.</param>
/// <param name="Validation">Examples carved from the training file for validation (default 5000).</param>
/// <param name="SplitSeed">Seed of that carve, and of the test carve of <see cref="TestFraction"/> (default 0).</param>
/// <param name="Limit">Training examples used, 0 for all (default 0).</param>
public sealed partial record DatasetSpec(string Name, string Path, int Validation = DatasetSpec.DefaultValidation, int SplitSeed = 0, int Limit = 0)
{
    public const int DefaultValidation = 5000;

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Pattern();

    /// <summary>A .npy, .npz or CSV training file (see <see cref="DataSource"/>), exactly as written; null for an IDX directory.</summary>
    public string? Train { get; init; }

    /// <summary>The test file, or null to carve <see cref="TestFraction"/> of the training file.</summary>
    public string? Test { get; init; }

    /// <summary>Without a test file: the share of the training file held out for test, in (0, 1); 0 otherwise.</summary>
    public double TestFraction { get; init; }

    /// <summary>A CSV's label column or an .npz's label array; null for none.</summary>
    public string? Labels { get; init; }

    /// <summary>An .npz's data array; null when it holds one.</summary>
    public string? Array { get; init; }

    /// <summary>A CSV's image shape; null for plain features.</summary>
    public DataShape? Shape { get; init; }

    /// <summary>Z-score each feature by the training split's mean and standard deviation.</summary>
    public bool Standardize { get; init; }

    /// <summary>SHA-256 (lower-case hex) of the training file when the spec was read: part of the trial's identity.</summary>
    public string? TrainSha256 { get; init; }

    /// <summary>SHA-256 of the test file, when there is one.</summary>
    public string? TestSha256 { get; init; }

    /// <summary>Whether the data comes from files of numbers rather than an IDX directory.</summary>
    public bool IsFiles => Train is not null;

    /// <summary>What the hosts load.</summary>
    public DatasetRef ToRef() => new(Name, Path, Validation, SplitSeed, Limit, Train, Test, TestFraction, Labels, Array, Shape?.Code,
        Standardize, TrainSha256, TestSha256);

    /// <summary>Every violated constraint as "field: what is wrong"; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Name)) errors.Add("name: must not be empty");
        if (Validation < 1) errors.Add($"validation: must be at least 1, got {Validation}");
        if (Limit < 0) errors.Add($"limit: must be 0 (all) or more, got {Limit}");
        if (!IsFiles)
        {
            if (string.IsNullOrWhiteSpace(Path)) errors.Add("path: must not be empty");
            if (Test is not null || TestFraction != 0 || Labels is not null || Array is not null || Shape is not null || TrainSha256 is not null || TestSha256 is not null)
                errors.Add("path: an IDX directory takes none of test, test_fraction, labels, array, shape (they go with train)");
            return errors;
        }
        if (Path.Length > 0) errors.Add("train: give either path (an IDX directory) or train (a file), not both");
        if (string.IsNullOrWhiteSpace(Train)) errors.Add("train: must not be empty");
        if (Test is not null)
        {
            if (string.IsNullOrWhiteSpace(Test)) errors.Add("test: must not be empty");
            if (TestFraction != 0) errors.Add("test_fraction: give either a test file or test_fraction, not both");
            if (TestSha256 is null || !Sha256Pattern().IsMatch(TestSha256)) errors.Add("test_sha256: must be the test file's SHA-256 in lower-case hex");
        }
        else
        {
            if (!(TestFraction is > 0 and < 1)) errors.Add($"test_fraction: must be between 0 and 1 (exclusive) when there is no test file, got {TestFraction}");
            if (TestSha256 is not null) errors.Add("test_sha256: there is no test file");
        }
        if (TrainSha256 is null || !Sha256Pattern().IsMatch(TrainSha256)) errors.Add("train_sha256: must be the training file's SHA-256 in lower-case hex");
        if (Labels is { Length: 0 }) errors.Add("labels: must not be empty");
        if (Array is { Length: 0 }) errors.Add("array: must not be empty");
        if (Shape is { } s && (!s.IsImage || s.Rows < 1 || s.Columns < 1 || s.Channels < 1)) errors.Add($"shape: must be [height, width] or [height, width, channels] of positive sizes");
        return errors;
    }
}
