namespace VaeSweep.Client.Search;

/// <summary>
/// How good an ended trial was, as the search orders trials; higher is better. The order is Optuna's (its TPE's
/// <c>_get_observation_pairs</c>): every finished trial with a value above every pruned one; pruned trials by the
/// epoch they reached, deeper first, then by the value they had there; trials without a value (diverged, failed,
/// cancelled, or breaking a constraint of the objective) below all. A pruned trial's value is the schedule's metric
/// (a validation ELBO), which need not share a scale with the objective, so it is compared only among pruned trials
/// of the same depth.
/// </summary>
public readonly record struct SearchScore : IComparable<SearchScore>
{
    private enum Tier { Bad, Pruned, Finished }

    private readonly Tier tier;

    private SearchScore(Tier tier, int depth, double value)
    {
        this.tier = tier;
        Depth = depth;
        Value = value;
    }

    /// <summary>Epochs a pruned trial reached; 0 otherwise.</summary>
    public int Depth { get; }

    /// <summary>The objective (finished) or the rung's metric (pruned), higher is better; −∞ for a bad trial.</summary>
    public double Value { get; }

    public static SearchScore Bad { get; } = new(Tier.Bad, 0, double.NegativeInfinity);

    /// <summary>A finished trial's objective; one that is not a finite number makes the trial bad.</summary>
    public static SearchScore Finished(double objective) =>
        double.IsFinite(objective) ? new(Tier.Finished, 0, objective) : Bad;

    /// <summary>A trial pruned after <paramref name="epochs"/> with <paramref name="value"/> there (NaN: none recorded).</summary>
    public static SearchScore Pruned(int epochs, double value) =>
        new(Tier.Pruned, epochs, double.IsNaN(value) ? double.NegativeInfinity : value);

    /// <summary>A plain number is a finished trial's objective: the form synthetic searches and tests use.</summary>
    public static implicit operator SearchScore(double objective) => Finished(objective);

    public int CompareTo(SearchScore other) =>
        tier != other.tier ? tier.CompareTo(other.tier)
        : Depth != other.Depth ? Depth.CompareTo(other.Depth)
        : Value.CompareTo(other.Value);

    public static bool operator <(SearchScore a, SearchScore b) => a.CompareTo(b) < 0;
    public static bool operator >(SearchScore a, SearchScore b) => a.CompareTo(b) > 0;
    public static bool operator <=(SearchScore a, SearchScore b) => a.CompareTo(b) <= 0;
    public static bool operator >=(SearchScore a, SearchScore b) => a.CompareTo(b) >= 0;

    public override string ToString() => tier switch
    {
        Tier.Finished => Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        Tier.Pruned => $"pruned at {Depth}: {Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}",
        _ => "bad",
    };
}
