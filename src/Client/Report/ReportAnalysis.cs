namespace VaeSweep.Client.Report;

/// <summary>
/// The report's analysis sections (issue 21): the rate–distortion plane, KL per latent unit of the best trials,
/// parallel coordinates over the swept parameters, and parameter importance. Each is null with a note saying why
/// when the sweep cannot give it.
/// </summary>
public sealed record ReportAnalysis(
    IReadOnlyList<RatePoint> RatePoints,
    string? RateNote,
    IReadOnlyList<UnitKls> Units,
    string? UnitsNote,
    IReadOnlyList<SweptParameter> Axes,
    IReadOnlyList<(string Trial, double Ll)> Lines,
    string? LinesNote,
    IReadOnlyList<(string Parameter, double Fraction)> Importance,
    string? ImportanceNote)
{
    /// <summary>Whether <see cref="Importance"/> is the exact grid decomposition or the forest surrogate's.</summary>
    public ImportanceMethod ImportanceMethod { get; init; }

    /// <summary>The metric importance explains: the objective's goal (held-out LL by default).</summary>
    public string ImportanceOf { get; init; } = "heldout_ll";

    /// <summary>How many finished trials it was computed from.</summary>
    public int ImportanceTrials { get; init; }
}

/// <summary>One trial in the rate–distortion plane.</summary>
public sealed record RatePoint(string Trial, int? Rank, double Rate, double Distortion, double Beta, bool OnFront);

/// <summary>A best trial's mean KL per latent unit, and which units are active.</summary>
public sealed record UnitKls(int Rank, string Trial, double[] Kl, bool[] Active);
