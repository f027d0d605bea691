using MathNet.Numerics;

namespace VaeSweep.Client.Search;

/// <summary>
/// A normal kernel N(μ, σ²) cut to [low, high] and renormalised: the Parzen estimators' numeric kernel. Masses are
/// taken from whichever tail keeps them accurate, so kernels far from a point give tiny but finite log densities.
/// </summary>
internal static class TruncatedNormal
{
    private static readonly double LogSqrt2Pi = 0.5 * Math.Log(2 * Math.PI);

    /// <summary>Φ(z), accurate in the lower tail (erfc does not cancel there).</summary>
    private static double Cdf(double z) => 0.5 * SpecialFunctions.Erfc(-z / Math.Sqrt(2));

    /// <summary>log(Φ(b) − Φ(a)) for a ≤ b, falling back to the density at the end nearer 0 times the width when it underflows.</summary>
    public static double LogMass(double a, double b)
    {
        if (!(a < b)) return double.NegativeInfinity;
        // Both ends in the upper tail: use the mirror image, where Φ is small and exact.
        var mass = a > 0 ? Cdf(-a) - Cdf(-b) : Cdf(b) - Cdf(a);
        if (mass > 1e-300) return Math.Log(mass);
        var near = a > 0 ? a : b < 0 ? b : 0;
        return -0.5 * near * near - LogSqrt2Pi + Math.Log(b - a);
    }

    /// <summary>Log density at x of N(μ, σ²) truncated to [low, high].</summary>
    public static double LogPdf(double x, double mu, double sigma, double low, double high) =>
        LogPdf(x, mu, sigma, LogMass((low - mu) / sigma, (high - mu) / sigma));

    /// <param name="logAccept">log(Φ((high − μ)/σ) − Φ((low − μ)/σ)), the kernel's mass within its bounds.</param>
    public static double LogPdf(double x, double mu, double sigma, double logAccept)
    {
        var z = (x - mu) / sigma;
        return -0.5 * z * z - LogSqrt2Pi - Math.Log(sigma) - logAccept;
    }

    /// <summary>Log probability that a draw of the truncated kernel lies in [from, to] (clipped to the bounds).</summary>
    public static double LogIntervalMass(double from, double to, double mu, double sigma, double low, double high, double logAccept) =>
        LogMass((Math.Max(from, low) - mu) / sigma, (Math.Min(to, high) - mu) / sigma) - logAccept;

    /// <summary>The draw for uniform u ∈ [0, 1), by inverting the CDF; μ lies within the bounds, so Φ(a) ≤ ½ ≤ Φ(b).</summary>
    public static double Sample(double u, double mu, double sigma, double low, double high)
    {
        var pa = Cdf((low - mu) / sigma);
        var pb = Cdf((high - mu) / sigma);
        var p = Math.Clamp(pa + u * (pb - pa), double.Epsilon, 1 - 1e-16);
        var x = mu + sigma * Math.Sqrt(2) * -SpecialFunctions.ErfcInv(2 * p);
        return Math.Clamp(x, low, high);
    }
}
