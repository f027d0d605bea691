using VaeSweep.Model.Data;
using VaeSweep.Model.Engines;
using VaeSweep.Model.Kernels;
using VaeSweep.Model.Layers;
using VaeSweep.Model.Randomness;

namespace VaeSweep.Model.Evaluation;

/// <summary>
/// log p(x) ≈ logsumexp_k [log p(x|z_k) + log p(z_k) − log q(z_k|x)] − log K with z_k ~ q(z|x), per example, for
/// either engine: the engine encodes and decodes (<see cref="IEstimatorNetwork"/>), everything else is here.
/// Examples are encoded a group at a time. Each example's K samples are then drawn and decoded in chunks on one of
/// the engine's lanes: the lanes take whole examples, so the sampling and likelihood passes run in parallel too, not
/// only the GEMMs. Every example has its own ε stream, derived from the call's seed and its position, so no number
/// depends on the thread count, the chunk size or which lane scored it, and both engines draw the same z. Sums and
/// the logsumexp are in double.
/// </summary>
internal sealed class ImportanceSampler : IDisposable
{
    /// <summary>Examples encoded together.</summary>
    private const int GroupCapacity = 256;

    private readonly IEstimatorNetwork _network;
    private readonly int _latent;
    private readonly int _dimension;
    private readonly int _samples;
    private readonly double _activeThreshold;
    private readonly Lane[] _lanes;                                                 // one per engine lane
    private readonly Xoshiro256StarStar _pixels = Xoshiro256StarStar.FromSeed(0);   // fixed binarisation, reseeded per example

    /// <param name="activeThreshold">What Cov_x(E_q[z_u|x]) a latent unit must exceed to count as active.</param>
    public ImportanceSampler(ITrainingEngine engine, int dimension, int latent, int samples, double activeThreshold = LatentStatistics.DefaultThreshold)
    {
        _activeThreshold = activeThreshold;
        _network = engine.CreateEstimator(GroupCapacity, samples);
        _dimension = dimension;
        _latent = latent;
        _samples = samples;
        _lanes = [.. _network.Lanes.Select(lane => new Lane(lane, latent, samples))];
    }

    /// <param name="indices">Examples of <paramref name="images"/> to score, in order.</param>
    /// <param name="noiseSeed">Seed of this call's ε streams; the same seed gives the same numbers.</param>
    public LogLikelihoodEstimate Estimate(string split, ImageSet images, ReadOnlySpan<int> indices, PixelMode mode, int fileId,
        ulong noiseSeed, CancellationToken cancellationToken)
    {
        var scores = new ExampleScore[indices.Length];
        var encoded = new float[indices.Length * 2 * _latent];   // every example's μ | log σ², for the latent statistics
        for (var group = 0; group < indices.Length; group += GroupCapacity)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var rows = Math.Min(GroupCapacity, indices.Length - group);
            BatchLoader.Load(images, indices.Slice(group, rows), _network.GroupInput, mode, fileId, _pixels);
            var stats = _network.EncodeGroup(rows);
            stats.AsSpan(0, rows * 2 * _latent).CopyTo(encoded.AsSpan(group * 2 * _latent));
            var first = group;
            var claimed = -1;
            KernelThreads.Shared.Run(_lanes.Length, lane =>
            {
                // Examples are claimed one at a time: a thread that gets its core late just scores fewer of them.
                for (int e; (e = Interlocked.Increment(ref claimed)) < rows;)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var seed = Xoshiro256StarStar.DeriveSeed(noiseSeed, RandomStreams.ExampleNoise, (ulong)(first + e));
                    scores[first + e] = Score(_lanes[lane], stats.AsSpan(2 * _latent * e, 2 * _latent),
                        _network.GroupInput.AsSpan(_dimension * e, _dimension), seed);
                }
            });
        }
        return Summarise(split, scores) with
        {
            Latent = LatentStatistics.Compute(encoded, _latent, scores.Select(s => -s.ExpectedLogLikelihood).ToArray(), _activeThreshold),
        };
    }

    public void Dispose() => _network.Dispose();

    /// <summary>One example from its encoder statistics μ | log σ² and its pixels.</summary>
    private ExampleScore Score(Lane lane, ReadOnlySpan<float> stats, ReadOnlySpan<float> x, ulong seed)
    {
        int z = _latent;
        var decoder = lane.Decoder;
        lane.Begin(stats, seed);
        var expectedLogLikelihood = 0.0;
        for (var start = 0; start < _samples; start += decoder.Capacity)
        {
            var count = Math.Min(decoder.Capacity, _samples - start);
            for (var r = 0; r < count; r++) lane.LogWeights[start + r] = lane.SampleLatent(stats[..z], decoder.Latents.AsSpan(r * z, z));
            var logLikelihoods = lane.LogLikelihoods.AsSpan(0, count);
            decoder.LogLikelihoods(count, x, logLikelihoods);
            for (var r = 0; r < count; r++)
            {
                lane.LogWeights[start + r] += logLikelihoods[r];
                expectedLogLikelihood += logLikelihoods[r];
            }
        }
        return new ExampleScore(LogSumExp(lane.LogWeights) - Math.Log(_samples), expectedLogLikelihood / _samples, GaussianHead.Kl(stats, z));
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

    private LogLikelihoodEstimate Summarise(string split, ExampleScore[] scores)
    {
        var n = scores.Length;
        var perExample = scores.Select(s => s.LogLikelihood).ToArray();
        var mean = n > 0 ? perExample.Average() : double.NaN;
        var variance = 0.0;
        foreach (var v in perExample) variance += (v - mean) * (v - mean);
        // With one example the spread is unknown; 0 keeps the record storable and is documented as such.
        var standardError = n > 1 ? Math.Sqrt(variance / (n - 1) / n) : 0.0;
        var elbo = 0.0;
        foreach (var s in scores) elbo += s.Elbo;
        return new LogLikelihoodEstimate(split, _samples, n, mean, standardError, n > 0 ? elbo / n : double.NaN, perExample);
    }

    /// <summary>
    /// One example's numbers: the estimate, and the two terms of its ELBO (E_q[log p(x|z)] over the K samples and the
    /// closed-form KL(q(z|x) ‖ p(z))). Per-example statistics of the posterior belong here too: <see cref="Score"/>
    /// has the example's μ | log σ² and its reconstruction term in one place.
    /// </summary>
    private readonly record struct ExampleScore(double LogLikelihood, double ExpectedLogLikelihood, double Kl)
    {
        public double Elbo => ExpectedLogLikelihood - Kl;
    }

    /// <summary>One thread's sampling state around one engine lane: it scores one example at a time.</summary>
    private sealed class Lane(IDecoderLane decoder, int latent, int samples)
    {
        private readonly double[] _std = new double[latent];                           // [Z] σ_q of the example being scored
        private readonly Xoshiro256StarStar _noise = Xoshiro256StarStar.FromSeed(0);   // ε, reseeded per example
        private double _halfLogVarianceSum;                                            // ½ Σ_j log σ_q,j²

        public IDecoderLane Decoder => decoder;
        public double[] LogWeights { get; } = new double[samples];                     // [K]
        public double[] LogLikelihoods { get; } = new double[decoder.Capacity];        // [chunk] log p(x|z_k)

        /// <summary>Starts an example: its ε stream, and its σ_q once rather than once per sample.</summary>
        public void Begin(ReadOnlySpan<float> stats, ulong seed)
        {
            _noise.Reseed(seed);
            _halfLogVarianceSum = 0;
            for (var j = 0; j < latent; j++)
            {
                double logVar = stats[latent + j];
                _std[j] = Math.Exp(0.5 * logVar);
                _halfLogVarianceSum += 0.5 * logVar;
            }
        }

        /// <summary>Draws z ~ q(z|x) into <paramref name="zRow"/> and returns log p(z) − log q(z|x) at the float z actually used.</summary>
        public double SampleLatent(ReadOnlySpan<float> mu, Span<float> zRow)
        {
            // The ½ log 2π terms of p and q cancel.
            var logRatio = _halfLogVarianceSum;
            for (var j = 0; j < zRow.Length; j++)
            {
                double m = mu[j], sd = _std[j];
                var value = (float)(m + sd * _noise.NextGaussian());
                zRow[j] = value;
                var standardised = (value - m) / sd;
                logRatio += 0.5 * (standardised * standardised - (double)value * value);
            }
            return logRatio;
        }
    }
}
