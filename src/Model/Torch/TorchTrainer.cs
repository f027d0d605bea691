using System.Globalization;
using System.Runtime.InteropServices;
using VaeSweep.Model.Checkpoints;
using VaeSweep.Model.Data;
using VaeSweep.Model.Layers;
using VaeSweep.Model.Optim;
using VaeSweep.Model.Randomness;
using static TorchSharp.torch;

namespace VaeSweep.Model.Torch;

/// <summary>
/// The torch engine: the same trial as <see cref="VaeTrainer"/> (model, objective, Adam, data split, batches, metrics,
/// estimator, divergence and cancellation rules) with libtorch doing the tensor arithmetic.
/// </summary>
/// <remarks>
/// All randomness is the native engine's: one xoshiro256** training stream initialises the weights (in the native
/// engine's order, so an mlp starts from the native weights bit for bit), then per epoch shuffles and per batch draws
/// the dynamic binarisation and ε; validation and the estimate use the native engine's derived streams. libtorch's
/// own generator is never used, so nothing depends on its global state. With deterministic algorithms on and a fixed
/// thread count (<see cref="TorchRuntime"/>), the same config gives the same bits on the same machine.
/// </remarks>
public sealed class TorchTrainer : ITrainer, IDisposable
{
    private const ulong TrainingStream = 0, ValidationStream = 1, LogLikelihoodStream = 2, ExampleNoiseStream = 1;
    private const int TrainFileId = 0, TestFileId = 1;
    private const int EstimateGroup = 256, EstimateChunk = 1024;

    /// <summary>Channels of the two conv layers.</summary>
    internal static readonly (int First, int Second) ConvChannels = (32, 64);

    private readonly DataSplits _data;
    private readonly EngineOptions _options;
    private readonly TorchNetwork _network;
    private readonly TorchLikelihood _likelihood;
    private readonly Adam _adam;
    private readonly Xoshiro256StarStar _rng;
    private readonly Xoshiro256StarStar _evalNoise = Xoshiro256StarStar.FromSeed(0);
    private readonly Xoshiro256StarStar _evalPixels = Xoshiro256StarStar.FromSeed(0);
    private readonly int[] _trainIndices;
    private readonly int[] _validationIndices;
    private readonly int[] _order;
    private readonly float[] _x;      // [B, D] pinned; _xs views it
    private readonly float[] _eps;    // [B, Z] pinned; _epsilons views it
    private readonly Tensor _xs;
    private readonly Tensor _epsilons;
    private readonly string _fingerprint;
    private string? _divergence;
    private string? _interruption;

    private TorchTrainer(TrialConfig config, DataSplits data, EngineOptions options)
    {
        var errors = config.Validate();
        if (errors.Count > 0) throw new ArgumentException($"invalid trial configuration: {string.Join("; ", errors)}", nameof(config));
        if (data.TrainIndices.Count == 0) throw new ArgumentException("data: the training split is empty", nameof(data));
        if (data.ValidationIndices.Count == 0) throw new ArgumentException("data: the validation split is empty", nameof(data));
        TorchRuntime.Use(config.Threads);
        Config = config;
        _data = data;
        _options = options;
        var file = data.TrainFile;
        _network = new TorchNetwork(config, file.Rows, file.Columns, ScalarType.Float32, ConvChannels);
        _likelihood = new TorchLikelihood(config, options, file.Dimension);
        _adam = new Adam(_network.Values.Length, config.LearningRate);
        _rng = Xoshiro256StarStar.FromSeed(Xoshiro256StarStar.DeriveSeed(Seed, TrainingStream));
        _trainIndices = data.TrainIndices.ToArray();
        _validationIndices = data.ValidationIndices.ToArray();
        _order = new int[_trainIndices.Length];
        _x = GC.AllocateArray<float>(config.BatchSize * file.Dimension, pinned: true);
        _eps = GC.AllocateArray<float>(config.BatchSize * config.Latent, pinned: true);
        _xs = frombuffer(_x, ScalarType.Float32).view(config.BatchSize, file.Dimension);
        _epsilons = frombuffer(_eps, ScalarType.Float32).view(config.BatchSize, config.Latent);
        _fingerprint = RunFingerprint.DescribeTorch(config, options, data);
        _network.Initialize(_rng);
    }

    public TrialConfig Config { get; }

    public int EpochsCompleted { get; private set; }

    public string EngineDescriptor => TorchRuntime.Descriptor(Config.Threads);

    /// <summary>The network, for tests.</summary>
    internal TorchNetwork Network => _network;

    private ulong Seed => unchecked((ulong)(long)Config.Seed);

    private int Dimension => _data.TrainFile.Dimension;

    private PixelMode TrainingPixels => Config.Binarization switch
    {
        Binarization.Static => PixelMode.Threshold,
        Binarization.Dynamic => PixelMode.Sample,
        _ => PixelMode.Grey,
    };

    private PixelMode EvaluationPixels => Config.Binarization switch
    {
        Binarization.Static => PixelMode.Threshold,
        Binarization.Dynamic => PixelMode.FixedSample,
        _ => PixelMode.Grey,
    };

    /// <exception cref="ArgumentException">The configuration is invalid, a split is empty, or the images do not fit the architecture.</exception>
    /// <exception cref="EngineUnavailableException">libtorch does not load here.</exception>
    public static TorchTrainer Create(TrialConfig config, DataSplits data) => Create(config, data, EngineOptions.Default);

    internal static TorchTrainer Create(TrialConfig config, DataSplits data, EngineOptions options) => new(config, data, options);

    /// <exception cref="CheckpointException">Version, checksum, configuration or engine mismatch.</exception>
    public static TorchTrainer Resume(TrialConfig config, DataSplits data, ReadOnlySpan<byte> checkpoint) =>
        Resume(config, data, checkpoint, EngineOptions.Default);

    internal static TorchTrainer Resume(TrialConfig config, DataSplits data, ReadOnlySpan<byte> checkpoint, EngineOptions options)
    {
        var trainer = new TorchTrainer(config, data, options);
        try
        {
            (trainer.EpochsCompleted, trainer._adam.Steps) =
                TrainingState.Restore(checkpoint, trainer._fingerprint, trainer._rng, trainer.StateArrays());
        }
        catch
        {
            trainer.Dispose();
            throw;
        }
        return trainer;
    }

    public byte[] SaveCheckpoint()
    {
        ThrowIfInterrupted();
        return TrainingState.Save(_fingerprint, EpochsCompleted, _adam.Steps, _rng, StateArrays());
    }

    public EpochOutcome TrainEpoch(CancellationToken cancellationToken = default)
    {
        if (_divergence is not null) return new EpochOutcome(null, _divergence);
        ThrowIfInterrupted();
        TorchRuntime.Use(Config.Threads);
        var epoch = EpochsCompleted + 1;
        var time = _options.Time;
        var started = time.GetTimestamp();
        _interruption = $"epoch {epoch} was cancelled part-way";

        _trainIndices.CopyTo(_order, 0);
        _rng.Shuffle(_order);
        int latent = Config.Latent, capacity = Config.BatchSize, d = Dimension;
        var beta = Config.Beta;
        double recon = 0, kl = 0;
        var step = 0;
        for (var at = 0; at < _order.Length; at += capacity)
        {
            cancellationToken.ThrowIfCancellationRequested();
            step++;
            var rows = Math.Min(capacity, _order.Length - at);
            BatchLoader.Load(_data.TrainFile, _order.AsSpan(at, rows), _x, TrainingPixels, TrainFileId, _rng);
            FillNormal(_eps.AsSpan(0, rows * latent), _rng);
            using var scope = NewDisposeScope();
            var (rowRecon, rowKl) = Terms(_xs.narrow(0, 0, rows), _epsilons.narrow(0, 0, rows));
            var batchRecon = rowRecon.detach().to_type(ScalarType.Float64).sum().item<double>();
            var batchKl = rowKl.detach().to_type(ScalarType.Float64).sum().item<double>();
            var objective = batchRecon + beta * batchKl;
            if (!double.IsFinite(objective))
                return Diverge(epoch, $"objective is {Describe(objective)} at epoch {epoch}, step {step} " +
                               $"(mean recon {Format(batchRecon / rows)}, mean KL {Format(batchKl / rows)})");
            _network.ZeroGradients();
            rowRecon.add(rowKl.mul(beta)).mean().backward();
            _adam.Step(_network.Values, _network.Gradients, Config.Threads);
            recon += batchRecon;
            kl += batchKl;
        }
        var trainSeconds = time.GetElapsedTime(started).TotalSeconds;

        var (validRecon, validKl) = Validate(epoch, cancellationToken);
        if (!double.IsFinite(validRecon + validKl))
            return Diverge(epoch, $"validation ELBO is {Describe(-(validRecon + validKl))} after epoch {epoch}");

        EpochsCompleted = epoch;
        _interruption = null;
        var n = (double)_order.Length;
        return new EpochOutcome(new EpochMetrics(
            Epoch: epoch,
            TrainObjective: (recon + beta * kl) / n,
            TrainElbo: -(recon + kl) / n,
            TrainKl: kl / n,
            TrainRecon: recon / n,
            ValidationElbo: -(validRecon + validKl),
            ValidationKl: validKl,
            ValidationRecon: validRecon,
            WallSeconds: time.GetElapsedTime(started).TotalSeconds,
            SamplesPerSecond: trainSeconds > 0 ? n / trainSeconds : 0).WithLogJacobian(_data.LogJacobian), null);
    }

    /// <remarks>
    /// The native estimator's numbers in the native order: each example's own ε stream from (seed, split, position), z and
    /// log p(z) − log q(z|x) in double in C#, and log p(x|z) from libtorch's decoder summed in double.
    /// </remarks>
    public LogLikelihoodEstimate EstimateLogLikelihood(Split split, CancellationToken cancellationToken = default)
    {
        if (_divergence is not null) throw new InvalidOperationException($"no estimate: the run diverged ({_divergence})");
        ThrowIfInterrupted();
        TorchRuntime.Use(Config.Threads);
        var (name, images, indices, fileId) = split switch
        {
            Split.Validation => ("validation", _data.TrainFile, _validationIndices, TrainFileId),
            Split.Test => ("test", _data.Test, Enumerable.Range(0, _data.Test.Count).ToArray(), TestFileId),
            _ => throw new ArgumentOutOfRangeException(nameof(split), split, "unknown split"),
        };
        var count = Config.EvalExamples == 0 ? indices.Length : Math.Min(Config.EvalExamples, indices.Length);
        var noiseSeed = Xoshiro256StarStar.DeriveSeed(Seed, LogLikelihoodStream, (ulong)split);
        int d = Dimension, z = Config.Latent, samples = Config.ImportanceSamples, chunk = Math.Min(samples, EstimateChunk);
        var perExample = new double[count];
        var elbo = new double[count];
        var x = GC.AllocateArray<float>(EstimateGroup * d, pinned: true);    // [G, D]
        var zs = GC.AllocateArray<float>(chunk * z, pinned: true);           // [K chunk, Z]
        using var xAll = frombuffer(x, ScalarType.Float32).view(EstimateGroup, d);
        using var zAll = frombuffer(zs, ScalarType.Float32).view(chunk, z);
        var std = new double[z];
        var logWeights = new double[samples];
        var noise = Xoshiro256StarStar.FromSeed(0);
        var pixels = Xoshiro256StarStar.FromSeed(0);
        using var _ = no_grad();
        for (var group = 0; group < count; group += EstimateGroup)
        {
            var rows = Math.Min(EstimateGroup, count - group);
            BatchLoader.Load(images, indices.AsSpan(group, rows), x, EvaluationPixels, fileId, pixels);
            using var groupScope = NewDisposeScope();
            var xs = xAll.narrow(0, 0, rows);
            var (mu, logVariance) = _network.Encode(xs);
            var stats = cat([mu, logVariance], 1).contiguous().data<float>().ToArray();   // [rows, 2Z]
            for (var e = 0; e < rows; e++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var row = stats.AsSpan(e * 2 * z, 2 * z);
                noise.Reseed(Xoshiro256StarStar.DeriveSeed(noiseSeed, ExampleNoiseStream, (ulong)(group + e)));
                var halfLogVarianceSum = 0.0;
                for (var j = 0; j < z; j++)
                {
                    double logVar = row[z + j];
                    std[j] = Math.Exp(0.5 * logVar);
                    halfLogVarianceSum += 0.5 * logVar;
                }
                var xRow = xs.narrow(0, e, 1);
                var meanLogLikelihood = 0.0;
                for (var start = 0; start < samples; start += chunk)
                {
                    var n = Math.Min(chunk, samples - start);
                    for (var k = 0; k < n; k++)
                    {
                        var logRatio = halfLogVarianceSum;   // the ½ log 2π terms of p and q cancel
                        for (var j = 0; j < z; j++)
                        {
                            double m = row[j], sd = std[j];
                            var value = (float)(m + sd * noise.NextGaussian());
                            zs[k * z + j] = value;
                            var standardised = (value - m) / sd;
                            logRatio += 0.5 * (standardised * standardised - (double)value * value);
                        }
                        logWeights[start + k] = logRatio;
                    }
                    using var chunkScope = NewDisposeScope();
                    var logits = _network.Decode(zAll.narrow(0, 0, n));
                    var logLikelihoods = _likelihood.LogProbabilityInDouble(logits, xRow).data<double>().ToArray();
                    for (var k = 0; k < n; k++)
                    {
                        logWeights[start + k] += logLikelihoods[k];
                        meanLogLikelihood += logLikelihoods[k];
                    }
                }
                perExample[group + e] = LogSumExp(logWeights) - Math.Log(samples);
                elbo[group + e] = meanLogLikelihood / samples - GaussianHead.Kl(row, z);
            }
        }
        // The model's density is of its inputs; standardised inputs are carried back to the data as given.
        return Summarise(name, samples, perExample, elbo).WithLogJacobian(_data.LogJacobian);
    }

    public void Dispose()
    {
        _network.Dispose();
        _xs.Dispose();
        _epsilons.Dispose();
    }

    /// <summary>Per-row recon = −log p(x|z) at one ε and closed-form KL(q‖p), differentiable in the parameters.</summary>
    private (Tensor Recon, Tensor Kl) Terms(Tensor x, Tensor eps) => Terms(_network, _likelihood, x, eps);

    /// <summary>recon[B] and KL[B] of <paramref name="network"/> at ε[B,Z]; the gradient tests differentiate exactly this.</summary>
    internal static (Tensor Recon, Tensor Kl) Terms(TorchNetwork network, TorchLikelihood likelihood, Tensor x, Tensor eps)
    {
        var (mu, logVariance) = network.Encode(x);
        var zs = mu.add(logVariance.mul(0.5).exp().mul(eps));
        var kl = mu.square().add(logVariance.exp()).sub(1).sub(logVariance).sum(1).mul(0.5);
        return (likelihood.NegativeLogProbability(network.Decode(zs), x), kl);
    }

    private (double Recon, double Kl) Validate(int epoch, CancellationToken cancellationToken)
    {
        _evalNoise.Reseed(Xoshiro256StarStar.DeriveSeed(Seed, ValidationStream, (ulong)epoch));
        int latent = Config.Latent, capacity = Config.BatchSize, d = Dimension;
        double recon = 0, kl = 0;
        using var _ = no_grad();
        for (var at = 0; at < _validationIndices.Length; at += capacity)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var rows = Math.Min(capacity, _validationIndices.Length - at);
            BatchLoader.Load(_data.TrainFile, _validationIndices.AsSpan(at, rows), _x, EvaluationPixels, TrainFileId, _evalPixels);
            FillNormal(_eps.AsSpan(0, rows * latent), _evalNoise);
            using var scope = NewDisposeScope();
            var (rowRecon, rowKl) = Terms(_xs.narrow(0, 0, rows), _epsilons.narrow(0, 0, rows));
            recon += rowRecon.to_type(ScalarType.Float64).sum().item<double>();
            kl += rowKl.to_type(ScalarType.Float64).sum().item<double>();
        }
        return (recon / _validationIndices.Length, kl / _validationIndices.Length);
    }

    private static LogLikelihoodEstimate Summarise(string split, int samples, double[] perExample, double[] elbo)
    {
        var n = perExample.Length;
        var mean = n > 0 ? perExample.Average() : double.NaN;
        var variance = 0.0;
        foreach (var v in perExample) variance += (v - mean) * (v - mean);
        var standardError = n > 1 ? Math.Sqrt(variance / (n - 1) / n) : 0.0;
        return new LogLikelihoodEstimate(split, samples, n, mean, standardError, n > 0 ? elbo.Sum() / n : double.NaN, perExample);
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

    private EpochOutcome Diverge(int epoch, string message)
    {
        _divergence = message;
        _interruption = $"epoch {epoch} diverged";
        return new EpochOutcome(null, message);
    }

    private void ThrowIfInterrupted()
    {
        if (_interruption is not null)
            throw new InvalidOperationException($"training state is mid-epoch ({_interruption}); resume from the last checkpoint");
    }

    private float[][] StateArrays() => [_network.Values, _adam.FirstMoment, _adam.SecondMoment];

    private static void FillNormal(Span<float> target, Xoshiro256StarStar rng)
    {
        for (var i = 0; i < target.Length; i++) target[i] = (float)rng.NextGaussian();
    }

    private static string Describe(double value) => double.IsNaN(value) ? "NaN" : value > 0 ? "+infinity" : "-infinity";

    private static string Format(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
