using VaeSweep.Model.Kernels;

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

    /// <param name="threads">Workers for the update; the result is the same for any count.</param>
    public void Step(Span<float> parameters, ReadOnlySpan<float> gradients, int threads = 1)
    {
        Steps++;
        var stepSize = (float)(_learningRate / (1 - Math.Pow(Beta1, Steps)));
        var inverseCorrection2 = (float)(1 / Math.Sqrt(1 - Math.Pow(Beta2, Steps)));
        AdamKernel.Step(parameters, FirstMoment, SecondMoment, gradients,
            (float)Beta1, (float)(1 - Beta1), (float)Beta2, (float)(1 - Beta2), stepSize, inverseCorrection2, (float)Epsilon, threads);
    }
}
