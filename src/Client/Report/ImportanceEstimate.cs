namespace VaeSweep.Client.Report;

/// <summary>How parameter importance was computed.</summary>
public enum ImportanceMethod
{
    /// <summary>Functional ANOVA of the cell means of a complete grid: exact, no model.</summary>
    ExactGrid,

    /// <summary>Functional ANOVA of a random forest fitted to the trials (Hutter et al. 2014).</summary>
    ForestSurrogate,
}

/// <summary>Each swept parameter's main-effect share (in the axes' order), or null with the reason.</summary>
public sealed record ImportanceEstimate(double[]? Fractions, ImportanceMethod Method, string? Note);
