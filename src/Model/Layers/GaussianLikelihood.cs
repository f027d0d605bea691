using System.Numerics;
using VaeSweep.Model.Kernels;

namespace VaeSweep.Model.Layers;

/// <summary>
/// N(x; m, σ²I) with m = sigmoid(logits) (or m = logits when <c>linearMean</c>: <c>output: identity</c>, and the pPCA oracle):
/// log p = −D/2·log(2πσ²) − ‖x − m‖²/(2σ²); ∂(−log p)/∂logits = (m − x)/σ² · m(1 − m).
/// </summary>
internal sealed class GaussianLikelihood : DecoderLikelihood
{
    private readonly double _inverseVariance;
    private readonly double _logNormaliser;
    private readonly bool _linearMean;

    public GaussianLikelihood(int dimension, double sigma, bool linearMean) : base(dimension)
    {
        _inverseVariance = 1 / (sigma * sigma);
        _logNormaliser = -0.5 * dimension * Math.Log(2 * Math.PI * sigma * sigma);
        _linearMean = linearMean;
    }

    // The sigmoid mean runs on the fused kernels (sigmoid, residual, square sum and gradient in one pass); the linear
    // mean keeps the plain (vectorised) loop below.
    public override double LogProbability(ReadOnlySpan<float> logits, ReadOnlySpan<float> x, Span<float> scratch) =>
        _linearMean ? LinearMean(logits, x, Span<float>.Empty, 0) : FromSquares(GaussianSigmoidKernels.SquaredError(logits, x));

    public override double LogProbabilityAndGradient(ReadOnlySpan<float> logits, ReadOnlySpan<float> x, Span<float> grad, float scale, Span<float> scratch) =>
        _linearMean
            ? LinearMean(logits, x, grad, scale)
            : FromSquares(GaussianSigmoidKernels.LossAndGradient(logits, x, grad, (float)(scale * _inverseVariance)));

    public override void LogProbabilityPerRow(ReadOnlySpan<float> logits, ReadOnlySpan<float> x, Span<double> perRow)
    {
        if (_linearMean)
        {
            for (var r = 0; r < perRow.Length; r++) perRow[r] = LinearMean(logits.Slice(r * x.Length, x.Length), x, Span<float>.Empty, 0);
            return;
        }
        GaussianSigmoidKernels.SquaredErrorPerRow(logits, x, perRow);
        foreach (ref var value in perRow) value = FromSquares(value);
    }

    /// <summary>log p from ‖x − m‖².</summary>
    private double FromSquares(double squares) => _logNormaliser - 0.5 * _inverseVariance * squares;

    /// <summary>m = logits: one pass over the row; the gradient is written only when <paramref name="grad"/> is non-empty.</summary>
    private double LinearMean(ReadOnlySpan<float> mean, ReadOnlySpan<float> x, Span<float> grad, float scale)
    {
        var withGradient = !grad.IsEmpty;
        var cs = (float)(scale * _inverseVariance);
        var c = new Vector<float>(cs);
        // Squares are widened to double before summing, so a row's sum is as exact as the metrics that add rows up.
        var accLow = Vector<double>.Zero;
        var accHigh = Vector<double>.Zero;
        var i = 0;
        var width = Vector<float>.Count;
        for (; i <= mean.Length - width; i += width)
        {
            var m = new Vector<float>(mean[i..]);
            var r = m - new Vector<float>(x[i..]);
            Vector.Widen(r * r, out var low, out var high);
            accLow += low;
            accHigh += high;
            if (withGradient)
                (r * c).CopyTo(grad[i..]);
        }
        var squares = Vector.Sum(accLow + accHigh);
        for (; i < mean.Length; i++)
        {
            var m = mean[i];
            var r = m - x[i];
            squares += (double)(r * r);
            if (withGradient) grad[i] = r * cs;
        }
        return FromSquares(squares);
    }
}
