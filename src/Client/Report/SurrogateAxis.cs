namespace VaeSweep.Client.Report;

/// <summary>
/// A swept parameter as the importance surrogate sees it: one coordinate per value, on the scale it was searched on,
/// and the interval of the search space (not only the values drawn) over which fANOVA averages.
/// </summary>
/// <remarks>
/// <c>uniform</c>: the value on [low, high]; <c>log_uniform</c>: its natural log on [ln low, ln high], since the draws
/// are uniform there; <c>int_uniform</c>: the integer on [low − ½, high + ½], so each integer owns a unit of length;
/// anything else (grid and list levels, <c>choice</c>, text): the level's index on [−½, levels − ½], so each level
/// weighs the same, as a grid's cells do in the exact decomposition. The interval grows to hold every observed value,
/// so a spec edited after the trials ran cannot put a trial outside its own space.
/// </remarks>
public sealed record SurrogateAxis(SweptParameter Parameter, double Low, double High)
{
    private SearchDistribution? Distribution { get; init; }

    public static SurrogateAxis For(SweptParameter parameter, SearchDistribution? distribution)
    {
        var numeric = parameter.Numeric && distribution is not null
            && (distribution.Kind != IntervalKind.LogUniform || parameter.Levels[0].Number > 0 && distribution.Low > 0);
        if (!numeric) return new SurrogateAxis(parameter, -0.5, parameter.Levels.Count - 0.5);
        var axis = new SurrogateAxis(parameter, 0, 0) { Distribution = distribution };
        var (low, high) = distribution!.Kind switch
        {
            IntervalKind.LogUniform => (Math.Log(distribution.Low), Math.Log(distribution.High)),
            IntervalKind.IntUniform => (distribution.Low - 0.5, distribution.High + 0.5),
            _ => (distribution.Low, distribution.High),
        };
        var observed = parameter.Levels.Select(axis.Coordinate).ToList();
        return axis with { Low = Math.Min(low, observed.Min()), High = Math.Max(high, observed.Max()) };
    }

    /// <summary>Where a value sits on this axis.</summary>
    public double Coordinate(ParameterValue value) => Distribution switch
    {
        { Kind: IntervalKind.LogUniform } => Math.Log(value.Number!.Value),
        not null => value.Number!.Value,
        null => Parameter.IndexOf(value),
    };
}
