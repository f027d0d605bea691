using System.Globalization;
using Xunit.Sdk;

namespace VaeSweep.Model.Tests.TestSupport;

/// <summary>The one comparison every gradient check uses.</summary>
internal static class TensorAssert
{
    /// <summary>
    /// Passes when every |actual − expected| ≤ tol·(|expected| + 0.01·max|expected| + 1e-12): relative for large
    /// entries, and relative to the tensor's scale for entries near zero (where float rounding dominates).
    /// A failure reports the worst entry: index, both values and the ratio to its bound.
    /// </summary>
    public static void CheckTensor(ReadOnlySpan<float> actual, ReadOnlySpan<double> expected, string label, double tol)
    {
        var copy = new double[actual.Length];
        for (var i = 0; i < copy.Length; i++) copy[i] = actual[i];
        CheckTensor(copy, expected, label, tol);
    }

    public static void CheckTensor(ReadOnlySpan<double> actual, ReadOnlySpan<double> expected, string label, double tol)
    {
        if (actual.Length != expected.Length)
            throw new XunitException($"{label}: length {actual.Length}, expected {expected.Length}");
        var scale = 0.0;
        foreach (var e in expected) scale = Math.Max(scale, Math.Abs(e));
        var worst = -1;
        var worstRatio = 0.0;
        for (var i = 0; i < actual.Length; i++)
        {
            var bound = tol * (Math.Abs(expected[i]) + 0.01 * scale + 1e-12);
            var ratio = Math.Abs(actual[i] - expected[i]) / bound;
            if (double.IsNaN(ratio)) ratio = double.PositiveInfinity;
            if (ratio > worstRatio) { worstRatio = ratio; worst = i; }
        }
        if (worstRatio > 1)
        {
            var c = CultureInfo.InvariantCulture;
            throw new XunitException(string.Create(c,
                $"{label}: largest difference at [{worst}]: actual {actual[worst]:G9}, expected {expected[worst]:G9}, " +
                $"|diff| {Math.Abs(actual[worst] - expected[worst]):G3} is {worstRatio:F1}× the tolerance (tol {tol}, scale {scale:G3}, n {actual.Length})"));
        }
    }
}
