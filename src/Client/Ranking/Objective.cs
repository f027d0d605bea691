using System.Globalization;
using VaeSweep.Client.Store;

namespace VaeSweep.Client.Ranking;

/// <summary>
/// What a sweep optimises (<c>sweep.objective</c>): one stored per-trial metric with its direction, subject to
/// constraints. Ranking orders by it, and adaptive strategies read it through <see cref="Score"/>.
/// </summary>
/// <remarks>
/// Text form, one clause per string: <c>METRIC</c> or <c>METRIC max|min</c> names the goal (default
/// <c>heldout_ll</c>, maximised), <c>METRIC OP NUMBER</c> (OP one of &gt;= &lt;= &gt; &lt;) adds a constraint.
/// </remarks>
public sealed record Objective(TrialMetric Metric, Direction Direction, IReadOnlyList<ObjectiveConstraint> Constraints)
{
    public static Objective Default { get; } = new(TrialMetric.Find("heldout_ll")!, Direction.Maximize, []);

    /// <summary>Whether this is the plain held-out log-likelihood, where ranking also runs the paired test.</summary>
    public bool IsHeldoutLl => Metric.Name == "heldout_ll" && Direction == Direction.Maximize;

    /// <summary>The goal metric's value, or null when the trial has none.</summary>
    public double? Value(TrialNumbers numbers) => Metric.ValueOf(numbers);

    public double? Value(TrialResult result) => Value(TrialNumbers.Of(result));

    public bool IsFeasible(TrialNumbers numbers) => Constraints.All(c => c.Holds(numbers));

    public bool IsFeasible(TrialResult result) => IsFeasible(TrialNumbers.Of(result));

    /// <summary>
    /// The number adaptive strategies maximise: the goal metric, negated when it is minimised, so higher is always
    /// better. Null when the trial has no value or breaks a constraint; treat null as worse than any number.
    /// Pure: depends on the trial's numbers alone, so a trial scores the same just finished and read back.
    /// </summary>
    public double? Score(TrialNumbers numbers) =>
        IsFeasible(numbers) && Value(numbers) is { } v ? (Direction == Direction.Maximize ? v : -v) : null;

    public double? Score(TrialResult result) => Score(TrialNumbers.Of(result));

    public override string ToString() =>
        string.Join(", ", [$"{Metric.Name} {(Direction == Direction.Maximize ? "max" : "min")}", .. Constraints.Select(c => c.ToString())]);

    /// <summary>
    /// Reads the clauses; each problem is reported as (clause index, message) and the result is then null.
    /// At most one goal; without one the goal is <c>heldout_ll</c> maximised.
    /// </summary>
    public static Objective? Parse(IReadOnlyList<string> clauses, Action<int, string> error)
    {
        TrialMetric? goal = null;
        var direction = Direction.Maximize;
        var constraints = new List<ObjectiveConstraint>();
        var ok = true;
        for (var i = 0; i < clauses.Count; i++)
        {
            var words = clauses[i].Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (words.Length == 0)
            {
                error(i, "empty; expected a metric, 'METRIC max|min' or 'METRIC >= NUMBER'");
                ok = false;
                continue;
            }
            // "active_units>=5" reads like "active_units >= 5".
            if (words.Length == 1 && ObjectiveConstraint.Operators.FirstOrDefault(words[0].Contains) is { } glued)
            {
                var at = words[0].IndexOf(glued, StringComparison.Ordinal);
                words = [words[0][..at], glued, words[0][(at + glued.Length)..]];
            }
            if (TrialMetric.Find(words[0]) is not { } metric)
            {
                error(i, $"unknown metric '{words[0]}'; expected one of {string.Join(", ", TrialMetric.Names)}");
                ok = false;
                continue;
            }
            if (words.Length <= 2)
            {
                if (goal is not null)
                {
                    error(i, $"a second goal ('{metric.Name}' after '{goal.Name}'); only one metric is optimised, the others can be constraints");
                    ok = false;
                    continue;
                }
                goal = metric;
                direction = metric.Better;
                if (words.Length == 2)
                {
                    if (words[1] is "max" or "maximize" or "maximise") direction = Direction.Maximize;
                    else if (words[1] is "min" or "minimize" or "minimise") direction = Direction.Minimize;
                    else
                    {
                        error(i, $"direction '{words[1]}': expected max or min");
                        ok = false;
                    }
                }
                continue;
            }
            if (words.Length == 3 && ObjectiveConstraint.Operators.Contains(words[1])
                && double.TryParse(words[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var bound) && double.IsFinite(bound))
            {
                constraints.Add(new ObjectiveConstraint(metric, words[1], bound));
                continue;
            }
            error(i, $"'{clauses[i]}': expected 'METRIC max|min' or a constraint 'METRIC OP NUMBER' with OP one of {string.Join(" ", ObjectiveConstraint.Operators)}");
            ok = false;
        }
        return ok ? new Objective(goal ?? Default.Metric, goal is null ? Direction.Maximize : direction, constraints) : null;
    }
}
