using System.Numerics;

namespace VaeSweep.Model.Optim;

/// <summary>
/// Adam (β₁ = 0.9, β₂ = 0.999, ε = 1e-8) exactly as torch.optim.Adam without weight decay:
/// m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², θ ← θ − lr/(1−β₁ᵗ) · m / (√v/√(1−β₂ᵗ) + ε).
/// </summary>
internal sealed class Adam
{
    public const double Beta1 = 0.9;
    public const double Beta2 = 0.999;
    public const double Epsilon = 1e-8;

    private readonly double _learningRate;

    public Adam(int parameterCount, double learningRate)
    {
        _learningRate = learningRate;
        FirstMoment = new float[parameterCount];
        SecondMoment = new float[parameterCount];
    }

    public float[] FirstMoment { get; }    // [P] m
    public float[] SecondMoment { get; }   // [P] v

    /// <summary>Updates taken so far (t).</summary>
    public long Steps { get; set; }

    public void Step(Span<float> parameters, ReadOnlySpan<float> gradients)
    {
        Steps++;
        var stepSize = (float)(_learningRate / (1 - Math.Pow(Beta1, Steps)));
        var inverseCorrection2 = (float)(1 / Math.Sqrt(1 - Math.Pow(Beta2, Steps)));
        // 1 − β is formed in double, as torch does: 1 − 0.999f in float would be off by 1e-5 relative.
        const float b1 = (float)Beta1, b2 = (float)Beta2, eps = (float)Epsilon;
        const float c1 = (float)(1 - Beta1), c2 = (float)(1 - Beta2);
        Span<float> m = FirstMoment, v = SecondMoment;

        var i = 0;
        var width = Vector<float>.Count;
        var vb1 = new Vector<float>(b1);
        var vb1c = new Vector<float>(c1);
        var vb2 = new Vector<float>(b2);
        var vb2c = new Vector<float>(c2);
        var vEps = new Vector<float>(eps);
        var vStep = new Vector<float>(stepSize);
        var vCorr = new Vector<float>(inverseCorrection2);
        for (; i <= parameters.Length - width; i += width)
        {
            var g = new Vector<float>(gradients[i..]);
            var mi = vb1 * new Vector<float>(m[i..]) + vb1c * g;
            var vi = vb2 * new Vector<float>(v[i..]) + vb2c * g * g;
            mi.CopyTo(m[i..]);
            vi.CopyTo(v[i..]);
            var denominator = Vector.SquareRoot(vi) * vCorr + vEps;
            (new Vector<float>(parameters[i..]) - vStep * mi / denominator).CopyTo(parameters[i..]);
        }
        for (; i < parameters.Length; i++)
        {
            var g = gradients[i];
            m[i] = b1 * m[i] + c1 * g;
            v[i] = b2 * v[i] + c2 * g * g;
            parameters[i] -= stepSize * m[i] / (MathF.Sqrt(v[i]) * inverseCorrection2 + eps);
        }
    }
}
