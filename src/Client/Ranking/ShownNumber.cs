using System.Globalization;

namespace VaeSweep.Client.Ranking;

/// <summary>
/// A number already rounded for people to read, in a terminal table: aligned right like a number, printed as
/// <see cref="Text"/>. JSON and CSV never see one; they write the full-precision value instead.
/// </summary>
public sealed record ShownNumber(string Text)
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Log-likelihoods, ELBOs and their differences, in nats: a tenth of a nat is what people compare.</summary>
    public static ShownNumber Nats(double value) => new(double.IsFinite(value) ? value.ToString("F1", Invariant) : ResultFormatter.ExactText(value));

    /// <summary>Wall-clock seconds.</summary>
    public static ShownNumber Seconds(double value) => new(value.ToString(value >= 100 ? "F0" : "F1", Invariant));

    /// <summary>
    /// A swept parameter's value: learning rates (and anything spanning decades) in scientific notation with three
    /// significant digits (3.83e-4), others with up to four significant digits.
    /// </summary>
    public static ShownNumber Parameter(double value, bool scientific) =>
        new(scientific && value != 0 && double.IsFinite(value) ? Scientific(value) : value.ToString("G4", Invariant));

    /// <summary>1.5e-3, 3.83e-4, 1e-2: the mantissa to three significant digits without trailing zeros, a plain exponent.</summary>
    public static string Scientific(double value)
    {
        var exponent = (int)Math.Floor(Math.Log10(Math.Abs(value)));
        var mantissa = Math.Round(value / Math.Pow(10, exponent), 2);
        if (Math.Abs(mantissa) >= 10)
        {
            mantissa /= 10;
            exponent++;
        }
        return $"{mantissa.ToString("0.##", Invariant)}e{exponent.ToString(Invariant)}";
    }

    public override string ToString() => Text;
}
