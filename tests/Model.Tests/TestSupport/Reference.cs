namespace VaeSweep.Model.Tests.TestSupport;

/// <summary>
/// Double-precision twins of the engine's formulas, written the plain way (no fusion, no stability tricks beyond
/// what double needs). Finite differences of these are the gradient oracles.
/// </summary>
internal static class Reference
{
    /// <summary>y[rows,out] = x[rows,in]·Wᵀ + b with W [out,in].</summary>
    public static double[] Linear(double[] x, double[] w, double[] b, int rows, int inputs, int outputs)
    {
        var y = new double[rows * outputs];
        for (var r = 0; r < rows; r++)
        for (var o = 0; o < outputs; o++)
        {
            var sum = b[o];
            for (var i = 0; i < inputs; i++) sum += x[r * inputs + i] * w[o * inputs + i];
            y[r * outputs + o] = sum;
        }
        return y;
    }

    public static double Activate(Activation kind, double a) => kind switch
    {
        Activation.Relu => Math.Max(a, 0),
        Activation.Tanh => Math.Tanh(a),
        Activation.Softplus => a > 30 ? a + Math.Log(1 + Math.Exp(-a)) : Math.Log(1 + Math.Exp(a)),
        Activation.Identity => a,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static double Sigmoid(double a) => 1 / (1 + Math.Exp(-a));

    /// <summary>log N(x; m, σ²I) with m = sigmoid(logits), or m = logits when linear.</summary>
    public static double GaussianLogLikelihood(ReadOnlySpan<double> logits, ReadOnlySpan<double> x, double sigma, bool linear)
    {
        var sum = -0.5 * logits.Length * Math.Log(2 * Math.PI * sigma * sigma);
        for (var i = 0; i < logits.Length; i++)
        {
            var m = linear ? logits[i] : Sigmoid(logits[i]);
            sum -= (x[i] - m) * (x[i] - m) / (2 * sigma * sigma);
        }
        return sum;
    }

    /// <summary>Σ x log σ(l) + (1 − x) log(1 − σ(l)), the textbook form.</summary>
    public static double BernoulliLogLikelihood(ReadOnlySpan<double> logits, ReadOnlySpan<double> x)
    {
        var sum = 0.0;
        for (var i = 0; i < logits.Length; i++)
        {
            // log σ(l) = −log(1 + e^−l), log(1 − σ(l)) = −log(1 + e^l); Log1P-free but exact enough for |l| ≤ 30 in double.
            sum += x[i] * -Math.Log(1 + Math.Exp(-logits[i])) + (1 - x[i]) * -Math.Log(1 + Math.Exp(logits[i]));
        }
        return sum;
    }

    /// <summary>½ Σ (μ² + e^{log σ²} − 1 − log σ²).</summary>
    public static double Kl(ReadOnlySpan<double> mu, ReadOnlySpan<double> logVar)
    {
        var sum = 0.0;
        for (var j = 0; j < mu.Length; j++) sum += mu[j] * mu[j] + Math.Exp(logVar[j]) - 1 - logVar[j];
        return 0.5 * sum;
    }

    public static double[] ToDouble(ReadOnlySpan<float> values)
    {
        var result = new double[values.Length];
        for (var i = 0; i < values.Length; i++) result[i] = values[i];
        return result;
    }
}
