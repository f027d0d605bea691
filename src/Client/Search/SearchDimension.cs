namespace VaeSweep.Client.Search;

/// <summary>
/// One axis of the space the TPE models. A point holds, per axis, the value itself for numeric axes (the
/// learning rate, not its log) and the index of the choice for categorical ones.
/// </summary>
internal abstract class SearchDimension;

/// <summary>
/// A numeric axis on [<see cref="Low"/>, <see cref="High"/>]: continuous, log-scaled (modelled as log x, as Optuna
/// does for <c>log=True</c>) or integer (modelled on [low − ½, high + ½] and rounded, Optuna's q = 1).
/// </summary>
internal sealed class NumericDimension : SearchDimension
{
    public NumericDimension(double low, double high, bool log = false, bool integer = false)
    {
        if (!(low < high) || !double.IsFinite(low) || !double.IsFinite(high))
            throw new ArgumentException($"a numeric dimension needs finite low < high, got [{low}, {high}]");
        if (log && !(low > 0)) throw new ArgumentException($"a log dimension needs positive bounds, got [{low}, {high}]");
        if (log && integer) throw new ArgumentException("a dimension is either log-scaled or integer, not both");
        Low = low;
        High = high;
        Log = log;
        Integer = integer;
        KernelLow = log ? Math.Log(low) : integer ? low - 0.5 : low;
        KernelHigh = log ? Math.Log(high) : integer ? high + 0.5 : high;
    }

    public double Low { get; }

    public double High { get; }

    public bool Log { get; }

    public bool Integer { get; }

    /// <summary>Where the Parzen kernels live: log bounds for a log axis, widened by ½ each side for an integer one.</summary>
    public double KernelLow { get; }

    public double KernelHigh { get; }

    /// <summary>A value of the axis in kernel space.</summary>
    public double ToKernel(double value) => Log ? Math.Log(value) : value;

    /// <summary>A kernel-space draw as a value of the axis: back from log, rounded for integers, kept within bounds.</summary>
    public double FromKernel(double x) =>
        Math.Clamp(Log ? Math.Exp(x) : Integer ? Math.Round(x, MidpointRounding.ToEven) : x, Low, High);
}

/// <summary>A categorical axis of <see cref="Count"/> unordered choices, points holding the choice's index.</summary>
internal sealed class CategoricalDimension : SearchDimension
{
    public CategoricalDimension(int count)
    {
        if (count < 2) throw new ArgumentException($"a categorical dimension needs at least 2 choices, got {count}");
        Count = count;
    }

    public int Count { get; }
}
