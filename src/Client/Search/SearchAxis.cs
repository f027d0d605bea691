using VaeSweep.Client.Spec.Expansion;
using VaeSweep.Client.Spec.Parameters;
using VaeSweep.Model;

namespace VaeSweep.Client.Search;

/// <summary>
/// One swept parameter as the TPE models it: the <see cref="SearchDimension"/> its sampler's form maps to, and the
/// conversions between the parameter's values and a point's coordinate. A form with a single value is fixed: no
/// dimension, always that value (Optuna leaves single-valued distributions out of its search space too).
/// </summary>
internal sealed class SearchAxis
{
    private readonly ParameterSampler _sampler;
    private readonly IReadOnlyList<Assignment> _choices;
    private readonly Dictionary<string, int> _choiceIndex;

    public SearchAxis(ParameterSampler sampler)
    {
        _sampler = sampler;
        _choices = sampler is ChoiceSampler c ? c.Values : [];
        _choiceIndex = _choices.Select((a, i) => (Text: Parameter.Format(a.Value), i))
            .GroupBy(x => x.Text).ToDictionary(g => g.Key, g => g.First().i, StringComparer.Ordinal);
        Dimension = sampler switch
        {
            ChoiceSampler when _choiceIndex.Count > 1 => new CategoricalDimension(_choices.Count),
            UniformSampler u when u.Low < u.High => new NumericDimension(u.Low, u.High),
            LogUniformSampler u when u.Low < u.High => new NumericDimension(u.Low, u.High, log: true),
            IntUniformSampler u when u.Low < u.High => new NumericDimension(u.Low, u.High, integer: true),
            _ => null,
        };
    }

    public SpecParameter Parameter => _sampler.Parameter;

    /// <summary>Null when the parameter has a single value.</summary>
    public SearchDimension? Dimension { get; }

    /// <summary>The coordinate of a trial's value.</summary>
    /// <exception cref="ArgumentException">The value is not one the spec's form allows.</exception>
    public double Coordinate(TrialConfig config)
    {
        var value = Parameter.Get(config);
        if (Dimension is CategoricalDimension)
            return _choiceIndex.TryGetValue(Parameter.Format(value), out var i)
                ? i
                : throw new ArgumentException($"{Parameter.Name} = {Parameter.Format(value)} is not one of the spec's choices");
        var x = Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);
        if (Dimension is NumericDimension n && !(x >= n.Low && x <= n.High))
            throw new ArgumentException($"{Parameter.Name} = {Parameter.Format(value)} is outside the spec's range [{n.Low}, {n.High}]");
        return x;
    }

    /// <summary>The assignment for a coordinate (ignored when the axis is fixed).</summary>
    public Assignment Assign(double coordinate) => Dimension switch
    {
        CategoricalDimension => _choices[(int)coordinate],
        NumericDimension { Integer: true } => new(Parameter, Parameter.Kind == ParameterKind.Real ? coordinate : (object)(int)coordinate, _sampler.Origin),
        NumericDimension => new(Parameter, coordinate, _sampler.Origin),
        _ => _sampler.Sample(new SplitMix64(0)), // a single value: any draw gives it
    };

    /// <summary>Text telling a trial's value of this parameter apart from the others.</summary>
    public string Key(object value) => Parameter.Format(value);
}
