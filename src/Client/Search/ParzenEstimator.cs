using VaeSweep.Client.Spec.Expansion;

namespace VaeSweep.Client.Search;

/// <summary>
/// A multivariate Parzen density over a group of trials (Optuna's _ParzenEstimator with multivariate=True): one
/// product kernel per trial plus a prior kernel, mixed by the recency weights. Numeric axes get truncated Gaussians
/// with Scott's-rule bandwidth and the magic clip; categorical axes the kernel that puts weight 1 + prior/(n + 1)
/// on the trial's own choice and prior/(n + 1) on each choice, normalised. Immutable once built.
/// </summary>
internal sealed class ParzenEstimator
{
    private readonly IReadOnlyList<SearchDimension> _dimensions;
    private readonly double[] _weights;
    private readonly double[] _logWeights;
    private readonly double[][] _mus;    // per numeric axis, per kernel (null for categorical axes)
    private readonly double[][] _sigmas;
    private readonly double[][] _logAccept; // per numeric axis, per kernel: log of the kernel's mass within the bounds
    private readonly double[][][] _choiceProbabilities; // per categorical axis, per kernel, per choice

    /// <param name="points">The group's points in trial order (oldest first), each with one value per dimension.</param>
    public ParzenEstimator(IReadOnlyList<SearchDimension> dimensions, IReadOnlyList<double[]> points, TpeSettings settings)
    {
        _dimensions = dimensions;
        var n = points.Count;
        var w = settings.RecencyWeights(n).Append(settings.PriorWeight).ToArray();
        var total = w.Sum();
        _weights = w.Select(x => x / total).ToArray();
        _logWeights = _weights.Select(x => Math.Log(x)).ToArray();
        _mus = new double[dimensions.Count][];
        _sigmas = new double[dimensions.Count][];
        _logAccept = new double[dimensions.Count][];
        _choiceProbabilities = new double[dimensions.Count][][];
        for (var d = 0; d < dimensions.Count; d++)
        {
            switch (dimensions[d])
            {
                case NumericDimension numeric:
                    var width = numeric.KernelHigh - numeric.KernelLow;
                    var bandwidth = settings.BandwidthFactor * Math.Pow(Math.Max(n, 1), -1.0 / (dimensions.Count + 4)) * width;
                    var kernels = n + 1;
                    // Optuna's magic clip: no kernel narrower than the range over min(100, kernels + 1).
                    var minSigma = width / Math.Min(100.0, 1.0 + kernels);
                    _mus[d] = points.Select(p => numeric.ToKernel(p[d])).Append(0.5 * (numeric.KernelLow + numeric.KernelHigh)).ToArray();
                    _sigmas[d] = Enumerable.Repeat(bandwidth, n).Append(width).Select(s => Math.Clamp(s, minSigma, width)).ToArray();
                    _logAccept[d] = _mus[d].Select((mu, k) => TruncatedNormal.LogMass(
                        (numeric.KernelLow - mu) / _sigmas[d][k], (numeric.KernelHigh - mu) / _sigmas[d][k])).ToArray();
                    break;
                case CategoricalDimension categorical:
                    var table = new double[n + 1][];
                    var floor = settings.PriorWeight / (n + 1);
                    for (var k = 0; k <= n; k++)
                    {
                        var row = Enumerable.Repeat(floor, categorical.Count).ToArray();
                        if (k < n) row[(int)points[k][d]] += 1.0;
                        var sum = row.Sum();
                        table[k] = row.Select(x => x / sum).ToArray();
                    }
                    _choiceProbabilities[d] = table;
                    break;
            }
        }
    }

    /// <summary>Draws <paramref name="count"/> points: per point a kernel by weight, then each axis from that kernel.</summary>
    public double[][] Sample(SplitMix64 rng, int count)
    {
        var samples = new double[count][];
        for (var i = 0; i < count; i++)
        {
            var k = Pick(_weights, rng.NextDouble());
            var point = new double[_dimensions.Count];
            for (var d = 0; d < _dimensions.Count; d++)
            {
                var u = rng.NextDouble();
                point[d] = _dimensions[d] switch
                {
                    NumericDimension a => a.FromKernel(TruncatedNormal.Sample(u, _mus[d][k], _sigmas[d][k], a.KernelLow, a.KernelHigh)),
                    _ => Pick(_choiceProbabilities[d][k], u),
                };
            }
            samples[i] = point;
        }
        return samples;
    }

    /// <summary>Log density of the mixture at a point (for integer axes, the log probability of its unit cell).</summary>
    public double LogPdf(double[] point)
    {
        var terms = new double[_weights.Length];
        for (var k = 0; k < terms.Length; k++)
        {
            var sum = _logWeights[k];
            for (var d = 0; d < _dimensions.Count; d++)
            {
                sum += _dimensions[d] switch
                {
                    NumericDimension { Integer: true } a => TruncatedNormal.LogIntervalMass(point[d] - 0.5, point[d] + 0.5, _mus[d][k], _sigmas[d][k], a.KernelLow, a.KernelHigh, _logAccept[d][k]),
                    NumericDimension a => TruncatedNormal.LogPdf(a.ToKernel(point[d]), _mus[d][k], _sigmas[d][k], _logAccept[d][k]),
                    _ => Math.Log(_choiceProbabilities[d][k][(int)point[d]]),
                };
            }
            terms[k] = sum;
        }
        var max = terms.Max();
        return double.IsNegativeInfinity(max) ? max : max + Math.Log(terms.Sum(t => Math.Exp(t - max)));
    }

    /// <summary>The index whose cumulative probability first exceeds u (the last one if rounding leaves u beyond them all).</summary>
    private static int Pick(double[] probabilities, double u)
    {
        var cumulative = 0.0;
        for (var i = 0; i < probabilities.Length; i++)
        {
            cumulative += probabilities[i];
            if (u < cumulative) return i;
        }
        return probabilities.Length - 1;
    }
}
