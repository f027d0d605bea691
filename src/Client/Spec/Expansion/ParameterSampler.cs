using System.Numerics;
using VaeSweep.Client.Spec.Parameters;

namespace VaeSweep.Client.Spec.Expansion;

/// <summary>How a random sweep draws one parameter. Each draw consumes the same amount of randomness per call.</summary>
internal abstract class ParameterSampler(SpecParameter parameter, Origin origin)
{
    public SpecParameter Parameter { get; } = parameter;

    /// <summary>Where the list or distribution was given, for values drawn from it.</summary>
    public Origin Origin { get; } = origin;

    /// <summary>Distinct values it can give; null when effectively unbounded (continuous).</summary>
    public abstract BigInteger? Support { get; }

    public abstract Assignment Sample(SplitMix64 rng);
}

/// <summary>Uniform choice among listed values (a plain list, or <c>{ choice: [...] }</c>).</summary>
internal sealed class ChoiceSampler(SpecParameter parameter, Origin origin, IReadOnlyList<Assignment> values) : ParameterSampler(parameter, origin)
{
    /// <summary>The listed values in file order, repeats included (a repeat makes its value likelier).</summary>
    public IReadOnlyList<Assignment> Values => values;

    public override BigInteger? Support => values.Select(v => Parameter.Format(v.Value)).Distinct().Count();

    public override Assignment Sample(SplitMix64 rng) => values[(int)rng.NextInclusive(0, values.Count - 1)];
}

/// <summary><c>{ uniform: [a, b] }</c>: uniform on [a, b].</summary>
internal sealed class UniformSampler(SpecParameter parameter, Origin origin, double low, double high) : ParameterSampler(parameter, origin)
{
    public double Low => low;

    public double High => high;

    public override BigInteger? Support => low == high ? 1 : null;

    public override Assignment Sample(SplitMix64 rng) =>
        new(Parameter, Math.Clamp(low + (high - low) * rng.NextDouble(), low, high), Origin);
}

/// <summary><c>{ log_uniform: [a, b] }</c>, 0 &lt; a ≤ b: log x uniform on [log a, log b] (learning rates, σ).</summary>
internal sealed class LogUniformSampler(SpecParameter parameter, Origin origin, double low, double high) : ParameterSampler(parameter, origin)
{
    public double Low => low;

    public double High => high;

    public override BigInteger? Support => low == high ? 1 : null;

    // Clamped because exp(log a) need not give back exactly a.
    public override Assignment Sample(SplitMix64 rng) =>
        new(Parameter, Math.Clamp(Math.Exp(Math.Log(low) + (Math.Log(high) - Math.Log(low)) * rng.NextDouble()), low, high), Origin);
}

/// <summary><c>{ int_uniform: [a, b] }</c>: an integer from a to b inclusive (a double for real parameters).</summary>
internal sealed class IntUniformSampler(SpecParameter parameter, Origin origin, int low, int high) : ParameterSampler(parameter, origin)
{
    public int Low => low;

    public int High => high;

    public override BigInteger? Support => (BigInteger)high - low + 1;

    public override Assignment Sample(SplitMix64 rng)
    {
        var v = (int)rng.NextInclusive(low, high);
        return new(Parameter, Parameter.Kind == ParameterKind.Real ? (object)(double)v : v, Origin);
    }
}
