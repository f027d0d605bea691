using VaeSweep.Model.Data;
using VaeSweep.Model.Layers;
using VaeSweep.Model.Randomness;

namespace VaeSweep.Model.Evaluation;

/// <summary>
/// log p(x) ≈ logsumexp_k [log p(x|z_k) + log p(z_k) − log q(z_k|x)] − log K with z_k ~ q(z|x), per example.
/// Examples are encoded a group at a time; each example's K samples are decoded in chunks of up to
/// <see cref="ChunkCapacity"/> rows, one GEMM batch per chunk. Sums and the logsumexp are in double.
/// </summary>
internal sealed class ImportanceSampler
{
    /// <summary>Rows per decoder pass: big enough for efficient GEMMs, small enough to stay in cache.</summary>
    public const int ChunkCapacity = 256;

    private readonly Vae _model;
    private readonly int _samples;
    private readonly VaeWorkspace _ws;
    private readonly double[] _logWeights;                                         // [K]
    private readonly double[] _logLikelihoods;                                     // [chunk] log p(x|z_k) of one chunk
    private readonly Xoshiro256StarStar _noise = Xoshiro256StarStar.FromSeed(0);    // ε, reseeded per call
    private readonly Xoshiro256StarStar _pixels = Xoshiro256StarStar.FromSeed(0);   // fixed binarisation, reseeded per example

    public ImportanceSampler(Vae model, int samples)
    {
        _model = model;
        _samples = samples;
        _ws = new VaeWorkspace(model, Math.Min(samples, ChunkCapacity));
        _logWeights = new double[samples];
        _logLikelihoods = new double[_ws.Capacity];
    }

    /// <param name="indices">Examples of <paramref name="images"/> to score, in order.</param>
    /// <param name="noiseSeed">Seed of this call's ε stream; the same seed gives the same numbers.</param>
    public LogLikelihoodEstimate Estimate(string split, ImageSet images, ReadOnlySpan<int> indices, PixelMode mode, int fileId,
        ulong noiseSeed, CancellationToken cancellationToken)
    {
        _noise.Reseed(noiseSeed);
        int d = _model.Dimension, z = _model.Latent, capacity = _ws.Capacity;
        var perExample = new double[indices.Length];
        var elboSum = 0.0;
        for (var group = 0; group < indices.Length; group += capacity)
        {
            var rows = Math.Min(capacity, indices.Length - group);
            BatchLoader.Load(images, indices.Slice(group, rows), _ws.X, mode, fileId, _pixels);
            _model.Encode(_ws, rows);   // ws.Stats and ws.X stay untouched by the decoding below
            for (var e = 0; e < rows; e++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var stats = _ws.Stats.AsSpan(2 * z * e, 2 * z);
                var x = _ws.X.AsSpan(d * e, d);
                var meanLogLikelihood = 0.0;
                for (var start = 0; start < _samples; start += capacity)
                {
                    var count = Math.Min(capacity, _samples - start);
                    for (var r = 0; r < count; r++) _logWeights[start + r] = SampleLatent(stats, _ws.Z.AsSpan(r * z, z));
                    _model.Decode(_ws, count);
                    var logLikelihoods = _logLikelihoods.AsSpan(0, count);
                    _model.Likelihood.LogProbabilityPerRow(_ws.Logits.AsSpan(0, count * d), x, logLikelihoods);
                    for (var r = 0; r < count; r++)
                    {
                        _logWeights[start + r] += logLikelihoods[r];
                        meanLogLikelihood += logLikelihoods[r];
                    }
                }
                perExample[group + e] = LogSumExp(_logWeights) - Math.Log(_samples);
                elboSum += meanLogLikelihood / _samples - GaussianHead.Kl(stats, z);
            }
        }
        return Summarise(split, perExample, elboSum);
    }

    /// <summary>Draws z ~ q(z|x) into <paramref name="zRow"/> and returns log p(z) − log q(z|x) at the float z actually used.</summary>
    private double SampleLatent(ReadOnlySpan<float> stats, Span<float> zRow)
    {
        var latent = zRow.Length;
        var logRatio = 0.0;
        for (var j = 0; j < latent; j++)
        {
            double mu = stats[j], logVar = stats[latent + j];
            var sd = Math.Exp(0.5 * logVar);
            var value = (float)(mu + sd * _noise.NextGaussian());
            zRow[j] = value;
            var standardised = (value - mu) / sd;
            // The ½ log 2π terms of p and q cancel.
            logRatio += 0.5 * (standardised * standardised + logVar - (double)value * value);
        }
        return logRatio;
    }

    private static double LogSumExp(ReadOnlySpan<double> values)
    {
        var max = double.NegativeInfinity;
        foreach (var v in values) max = Math.Max(max, v);
        if (!double.IsFinite(max)) return max;
        var sum = 0.0;
        foreach (var v in values) sum += Math.Exp(v - max);
        return max + Math.Log(sum);
    }

    private LogLikelihoodEstimate Summarise(string split, double[] perExample, double elboSum)
    {
        var n = perExample.Length;
        var mean = n > 0 ? perExample.Average() : double.NaN;
        var variance = 0.0;
        foreach (var v in perExample) variance += (v - mean) * (v - mean);
        // With one example the spread is unknown; 0 keeps the record storable and is documented as such.
        var standardError = n > 1 ? Math.Sqrt(variance / (n - 1) / n) : 0.0;
        return new LogLikelihoodEstimate(split, _samples, n, mean, standardError, n > 0 ? elboSum / n : double.NaN, perExample);
    }
}
