using System.Globalization;
using VaeSweep.Client.Store;

namespace VaeSweep.Client.Ranking;

/// <summary>A bound a trial must meet to be feasible, such as <c>active_units &gt;= 5</c>.</summary>
public sealed record ObjectiveConstraint(TrialMetric Metric, string Operator, double Bound)
{
    public static IReadOnlyList<string> Operators { get; } = [">=", "<=", ">", "<"];

    /// <summary>False when the trial lacks the metric: an unknown value cannot be shown to meet the bound.</summary>
    public bool Holds(TrialNumbers numbers) => Metric.ValueOf(numbers) is { } v && Operator switch
    {
        ">=" => v >= Bound,
        "<=" => v <= Bound,
        ">" => v > Bound,
        "<" => v < Bound,
        _ => false,
    };

    public bool Holds(TrialResult result) => Holds(TrialNumbers.Of(result));

    public override string ToString() => $"{Metric.Name} {Operator} {Bound.ToString("R", CultureInfo.InvariantCulture)}";
}
