using VaeSweep.Model.Data;
using VaeSweep.Model.Kernels;
using VaeSweep.Model.Layers;
using VaeSweep.Model.Randomness;

namespace VaeSweep.Model.Evaluation;

/// <summary>
/// log p(x) ≈ logsumexp_k [log p(x|z_k) + log p(z_k) − log q(z_k|x)] − log K with z_k ~ q(z|x), per example.
/// Examples are encoded a group at a time. Each example's K samples are then drawn and decoded in chunks of up to
/// <see cref="ChunkCapacity"/> rows, one GEMM batch per chunk, by one of the model's threads: the threads take whole
/// examples, so the sampling and likelihood passes run in parallel too, not only the GEMMs. Every example has its own
/// ε stream, derived from the call's seed and its position, so no number depends on the thread count or on which
/// thread scored it. Sums and the logsumexp are in double.
/// </summary>
internal sealed class ImportanceSampler
{
    /// <summary>Rows per decoder pass: big enough for efficient GEMMs, small enough to stay in cache.</summary>
    public const int ChunkCapacity = 256;

    /// <summary>Examples encoded together.</summary>
    private const int GroupCapacity = 256;

    private const ulong ExampleNoiseStream = 1;

    private readonly Vae _model;
    private readonly int _samples;
    private readonly VaeWorkspace _group;                                           // X[G,D] and Stats[G,2Z] of the group being scored
    private readonly Lane[] _lanes;                                                 // one per thread
    private readonly Xoshiro256StarStar _pixels = Xoshiro256StarStar.FromSeed(0);   // fixed binarisation, reseeded per example

    public ImportanceSampler(Vae model, int samples)
    {
        _model = model;
        _samples = samples;
        _group = new VaeWorkspace(model, GroupCapacity);
        _lanes = [.. Enumerable.Range(0, model.Threads).Select(_ => new Lane(model, samples))];
    }

    /// <param name="indices">Examples of <paramref name="images"/> to score, in order.</param>
    /// <param name="noiseSeed">Seed of this call's ε streams; the same seed gives the same numbers.</param>
    public LogLikelihoodEstimate Estimate(string split, ImageSet images, ReadOnlySpan<int> indices, PixelMode mode, int fileId,
        ulong noiseSeed, CancellationToken cancellationToken)
    {
        var perExample = new double[indices.Length];
        var elbo = new double[indices.Length];
        for (var group = 0; group < indices.Length; group += GroupCapacity)
        {
            var rows = Math.Min(GroupCapacity, indices.Length - group);
            BatchLoader.Load(images, indices.Slice(group, rows), _group.X, mode, fileId, _pixels);
            _model.Encode(_group, rows);
            var first = group;
            var claimed = -1;
            KernelThreads.Shared.Run(_lanes.Length, lane =>
            {
                // Examples are claimed one at a time: a thread that gets its core late just scores fewer of them.
                for (int e; (e = Interlocked.Increment(ref claimed)) < rows;)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var seed = Xoshiro256StarStar.DeriveSeed(noiseSeed, ExampleNoiseStream, (ulong)(first + e));
                    (perExample[first + e], elbo[first + e]) = Score(_lanes[lane], e, seed);
                }
            });
        }
        return Summarise(split, perExample, elbo);
    }

    /// <summary>Row <paramref name="row"/> of the encoded group: its log p(x) estimate and its ELBO (mean over the K samples).</summary>
    private (double LogLikelihood, double Elbo) Score(Lane lane, int row, ulong seed)
    {
        int d = _model.Dimension, z = _model.Latent;
        var stats = _group.Stats.AsSpan(2 * z * row, 2 * z);
        var x = _group.X.AsSpan(d * row, d);
        var ws = lane.Workspace;
        lane.Begin(stats, seed);
        var meanLogLikelihood = 0.0;
        for (var start = 0; start < _samples; start += ws.Capacity)
        {
            var count = Math.Min(ws.Capacity, _samples - start);
            for (var r = 0; r < count; r++) lane.LogWeights[start + r] = lane.SampleLatent(stats[..z], ws.Z.AsSpan(r * z, z));
            _model.Decode(ws, count, threads: 1);
            var logLikelihoods = lane.LogLikelihoods.AsSpan(0, count);
            _model.Likelihood.LogProbabilityPerRow(ws.Logits.AsSpan(0, count * d), x, logLikelihoods);
            for (var r = 0; r < count; r++)
            {
                lane.LogWeights[start + r] += logLikelihoods[r];
                meanLogLikelihood += logLikelihoods[r];
            }
        }
        return (LogSumExp(lane.LogWeights) - Math.Log(_samples), meanLogLikelihood / _samples - GaussianHead.Kl(stats, z));
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

    private LogLikelihoodEstimate Summarise(string split, double[] perExample, double[] elbo)
    {
        var n = perExample.Length;
        var mean = n > 0 ? perExample.Average() : double.NaN;
        var variance = 0.0;
        foreach (var v in perExample) variance += (v - mean) * (v - mean);
        // With one example the spread is unknown; 0 keeps the record storable and is documented as such.
        var standardError = n > 1 ? Math.Sqrt(variance / (n - 1) / n) : 0.0;
        return new LogLikelihoodEstimate(split, _samples, n, mean, standardError, n > 0 ? elbo.Sum() / n : double.NaN, perExample);
    }

    /// <summary>One thread's decoding state: it scores one example at a time.</summary>
    private sealed class Lane(Vae model, int samples)
    {
        private readonly double[] _std = new double[model.Latent];                     // [Z] σ_q of the example being scored
        private readonly Xoshiro256StarStar _noise = Xoshiro256StarStar.FromSeed(0);   // ε, reseeded per example
        private double _halfLogVarianceSum;                                            // ½ Σ_j log σ_q,j²

        public VaeWorkspace Workspace { get; } = new(model, Math.Min(samples, ChunkCapacity));   // [chunk] Z, decoder activations, Logits
        public double[] LogWeights { get; } = new double[samples];                              // [K]
        public double[] LogLikelihoods { get; } = new double[Math.Min(samples, ChunkCapacity)]; // [chunk] log p(x|z_k)

        /// <summary>Starts an example: its ε stream, and its σ_q once rather than once per sample.</summary>
        public void Begin(ReadOnlySpan<float> stats, ulong seed)
        {
            _noise.Reseed(seed);
            var latent = _std.Length;
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
