namespace VaeSweep.Model.Tests.TestSupport;

/// <summary>Central differences of a double-precision function.</summary>
internal static class FiniteDifference
{
    /// <summary>∂f/∂v_i for every i, perturbing <paramref name="values"/> in place (restored afterwards).</summary>
    public static double[] Gradient(double[] values, Func<double> f, double h = 1e-6)
    {
        var grad = new double[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var saved = values[i];
            values[i] = saved + h;
            var plus = f();
            values[i] = saved - h;
            var minus = f();
            values[i] = saved;
            grad[i] = (plus - minus) / (2 * h);
        }
        return grad;
    }
}
