namespace VaeSweep.Client.Report;

/// <summary>
/// A configuration key whose value differs between the sweep's trials, with each trial's value. Numeric keys
/// plot on a number line (log-scaled when positive and spanning a factor of 10 or more); the others by level.
/// </summary>
/// <param name="Levels">Distinct values in ascending order (numbers numerically, text ordinally).</param>
/// <param name="Values">Each trial's value by trial id.</param>
public sealed record SweptParameter(
    string Name,
    bool Numeric,
    bool LogScale,
    IReadOnlyList<ParameterValue> Levels,
    IReadOnlyDictionary<string, ParameterValue> Values)
{
    /// <summary>Where a value sits on the plot's x axis: log10 or the number itself, or the level's index for text.</summary>
    public double Position(ParameterValue value)
    {
        if (!Numeric) return IndexOf(value);
        var number = value.Number!.Value;
        return LogScale ? Math.Log10(number) : number;
    }

    /// <summary>
    /// The value as people read it: numbers on a log scale (and learning rates) in short scientific notation
    /// (3.83e-4), other numbers to four significant digits, text as it is.
    /// </summary>
    public string Shown(ParameterValue value) =>
        value.Number is { } n ? Ranking.ShownNumber.Parameter(n, scientific: LogScale || Name == "lr").Text : value.Text;

    public int IndexOf(ParameterValue value)
    {
        for (var i = 0; i < Levels.Count; i++)
            if (Levels[i].Text == value.Text) return i;
        throw new ArgumentException($"{Name}: '{value.Text}' is not one of its levels", nameof(value));
    }
}

/// <summary>One value of a configuration key, as the spec spells it, and as a number when it is one.</summary>
public sealed record ParameterValue(string Text, double? Number);
