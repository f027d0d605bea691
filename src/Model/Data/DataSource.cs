namespace VaeSweep.Model.Data;

/// <summary>
/// A dataset given as files of numbers rather than an IDX directory: .npy, .npz or CSV (each optionally gzipped,
/// except .npz, which is already a zip).
/// </summary>
/// <param name="Train">The training file (validation is carved from it).</param>
/// <param name="Test">The test file, or null to carve the test examples from <paramref name="Train"/>.</param>
/// <param name="TestFraction">Without a test file: the share of the training file's examples held out for test, in (0, 1).</param>
/// <param name="Labels">Optional class labels: in a CSV a column (0-based index, a header name, or "last"), in an .npz an array's name.</param>
/// <param name="Array">In an .npz, the data array's name; null when the archive holds one array besides the labels.</param>
/// <param name="Shape">The image shape of a CSV's rows (H×W or H×W×C); null: features without an image shape. Arrays carry their own.</param>
/// <param name="TrainSha256">When set, the training file must still have this SHA-256 (hex), else the load fails.</param>
/// <param name="TestSha256">Likewise for the test file.</param>
public sealed record DataSource(
    string Train,
    string? Test = null,
    double TestFraction = 0,
    string? Labels = null,
    string? Array = null,
    DataShape? Shape = null,
    string? TrainSha256 = null,
    string? TestSha256 = null);
