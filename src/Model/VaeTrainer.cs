using System.Globalization;
using System.Runtime.InteropServices;
using VaeSweep.Model.Checkpoints;
using VaeSweep.Model.Data;
using VaeSweep.Model.Evaluation;
using VaeSweep.Model.Optim;
using VaeSweep.Model.Randomness;

namespace VaeSweep.Model;

/// <summary>
/// Trains and measures one configuration: the engine's whole public surface. Not thread-safe; one
/// trainer per trial. Numeric faults never throw: they come back as a diverged <see cref="EpochOutcome"/>.
/// </summary>
/// <remarks>
/// Randomness: one training stream (xoshiro256** seeded from <see cref="TrialConfig.Seed"/>) initialises the
/// weights, then per epoch shuffles the training indices and per batch draws the dynamic binarisation (if any)
/// and then ε. Validation (per epoch) and the log-likelihood estimate (per split) use their own streams
/// derived from the seed, so measuring never changes the training trajectory. Every epoch visits all training
/// examples; the last batch is the remainder and may be smaller than the batch size. Evaluation data is
/// deterministic: grey levels, the static threshold, or for dynamic binarisation one fixed-seed sample per example.
/// </remarks>
public sealed class VaeTrainer : ITrainer
{
    private const ulong TrainingStream = 0, ValidationStream = 1, LogLikelihoodStream = 2;
    private const int TrainFileId = 0, TestFileId = 1;

    private readonly DataSplits _data;
    private readonly EngineOptions _options;
    private readonly Vae _model;
    private readonly VaeWorkspace _ws;
    private readonly Adam _adam;
    private readonly Xoshiro256StarStar _rng;
    private readonly Xoshiro256StarStar _evalNoise = Xoshiro256StarStar.FromSeed(0);
    private readonly Xoshiro256StarStar _evalPixels = Xoshiro256StarStar.FromSeed(0);
    private readonly int[] _trainIndices;
    private readonly int[] _validationIndices;
    private readonly int[] _order;
    private readonly string _fingerprint;
    private ImportanceSampler? _sampler;
    private string? _divergence;
    private string? _interruption;

    private VaeTrainer(TrialConfig config, DataSplits data, EngineOptions options)
    {
        var errors = config.Validate();
        if (errors.Count > 0) throw new ArgumentException($"invalid trial configuration: {string.Join("; ", errors)}", nameof(config));
        if (data.TrainIndices.Count == 0) throw new ArgumentException("data: the training split is empty", nameof(data));
        if (data.ValidationIndices.Count == 0) throw new ArgumentException("data: the validation split is empty", nameof(data));
        Config = config;
        _data = data;
        _options = options;
        _model = new Vae(config, options, data.TrainFile.Dimension);
        _ws = new VaeWorkspace(_model, config.BatchSize);
        _adam = new Adam(_model.Parameters.Length, config.LearningRate);
        _rng = Xoshiro256StarStar.FromSeed(Xoshiro256StarStar.DeriveSeed(Seed, TrainingStream));
        _trainIndices = data.TrainIndices.ToArray();
        _validationIndices = data.ValidationIndices.ToArray();
        _order = new int[_trainIndices.Length];
        _fingerprint = RunFingerprint.Describe(config, options, data);
        _model.Initialize(_rng);
    }

    public TrialConfig Config { get; }

    /// <summary>Epochs trained so far (0 for a new trainer).</summary>
    public int EpochsCompleted { get; private set; }

    public string EngineDescriptor => EngineInfo.Descriptor;

    /// <summary>Nothing to free: the native engine's buffers are managed arrays.</summary>
    public void Dispose() { }

    /// <summary>What a checkpoint of this trainer must have been written for (<see cref="RunFingerprint"/>).</summary>
    internal string Fingerprint => _fingerprint;

    /// <summary>The network, for tests that set weights or inspect gradients.</summary>
    internal Vae Model => _model;

    /// <summary>Adam updates taken so far: one per minibatch, including each epoch's partial last batch.</summary>
    internal long OptimizerSteps => _adam.Steps;

    private ulong Seed => unchecked((ulong)(long)Config.Seed);

    private PixelMode TrainingPixels => Config.Binarization switch
    {
        Binarization.Static => PixelMode.Threshold,
        Binarization.Dynamic => PixelMode.Sample,
        _ => PixelMode.Grey,
    };

    internal PixelMode EvaluationPixels => Config.Binarization switch
    {
        Binarization.Static => PixelMode.Threshold,
        Binarization.Dynamic => PixelMode.FixedSample,
        _ => PixelMode.Grey,
    };

    /// <exception cref="ArgumentException">The configuration is invalid or a split is empty.</exception>
    public static VaeTrainer Create(TrialConfig config, DataSplits data) => Create(config, data, EngineOptions.Default);

    internal static VaeTrainer Create(TrialConfig config, DataSplits data, EngineOptions options) => new(config, data, options);

    /// <summary>Restores the complete training state; continuing gives exactly the run that would have continued.</summary>
    /// <exception cref="CheckpointException">Version, checksum or configuration mismatch.</exception>
    public static VaeTrainer Resume(TrialConfig config, DataSplits data, ReadOnlySpan<byte> checkpoint) =>
        Resume(config, data, checkpoint, EngineOptions.Default);

    internal static VaeTrainer Resume(TrialConfig config, DataSplits data, ReadOnlySpan<byte> checkpoint, EngineOptions options)
    {
        var trainer = new VaeTrainer(config, data, options);
        (trainer.EpochsCompleted, trainer._adam.Steps) =
            TrainingState.Restore(checkpoint, trainer._fingerprint, trainer._rng, trainer.StateArrays());
        return trainer;
    }

    /// <summary>Weights, Adam moments, epoch and RNG state; versioned and checksummed.</summary>
    /// <exception cref="InvalidOperationException">An epoch was interrupted, so the state is not at an epoch boundary.</exception>
    public byte[] SaveCheckpoint()
    {
        ThrowIfInterrupted();
        return TrainingState.Save(_fingerprint, EpochsCompleted, _adam.Steps, _rng, StateArrays());
    }

    /// <summary>Trains one epoch over the training split, then measures the validation ELBO.</summary>
    /// <exception cref="OperationCanceledException">Checked between batches; the trainer is then unusable (resume from a checkpoint).</exception>
    public EpochOutcome TrainEpoch(CancellationToken cancellationToken = default)
    {
        if (_divergence is not null) return new EpochOutcome(null, _divergence);
        ThrowIfInterrupted();
        var epoch = EpochsCompleted + 1;
        var time = _options.Time;
        var started = time.GetTimestamp();
        _interruption = $"epoch {epoch} was cancelled part-way";

        _trainIndices.CopyTo(_order, 0);
        _rng.Shuffle(_order);
        int latent = Config.Latent, capacity = _ws.Capacity;
        var beta = Config.Beta;
        double recon = 0, kl = 0;
        var step = 0;
        for (var at = 0; at < _order.Length; at += capacity)
        {
            cancellationToken.ThrowIfCancellationRequested();
            step++;
            var rows = Math.Min(capacity, _order.Length - at);
            BatchLoader.Load(_data.TrainFile, _order.AsSpan(at, rows), _ws.X, TrainingPixels, TrainFileId, _rng);
            FillNormal(_ws.Eps.AsSpan(0, rows * latent), _rng);
            _model.Forward(_ws, rows);
            _model.ReconstructionWithGradient(_ws, rows);
            var batchRecon = Sum(_ws.Recon.AsSpan(0, rows));
            var batchKl = Sum(_ws.Kl.AsSpan(0, rows));
            var objective = batchRecon + beta * batchKl;
            if (!double.IsFinite(objective))
                return Diverge(epoch, $"objective is {Describe(objective)} at epoch {epoch}, step {step} " +
                               $"(mean recon {Format(batchRecon / rows)}, mean KL {Format(batchKl / rows)})");
            _model.Backward(_ws, rows, beta);
            _adam.Step(_model.Parameters, _model.Gradients, Config.Threads);
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

    /// <summary>Importance-sampling estimate on the first <see cref="TrialConfig.EvalExamples"/> examples of <paramref name="split"/>.</summary>
    /// <remarks>
    /// Validation examples come in <see cref="DataSplits.ValidationIndices"/> order, test examples in file order. The ε stream
    /// is derived from (seed, split) alone, so repeated calls agree and training is not disturbed.
    /// </remarks>
    public LogLikelihoodEstimate EstimateLogLikelihood(Split split, CancellationToken cancellationToken = default)
    {
        if (_divergence is not null) throw new InvalidOperationException($"no estimate: the run diverged ({_divergence})");
        ThrowIfInterrupted();
        var (name, images, indices, fileId) = split switch
        {
            Split.Validation => ("validation", _data.TrainFile, _validationIndices, TrainFileId),
            Split.Test => ("test", _data.Test, Enumerable.Range(0, _data.Test.Count).ToArray(), TestFileId),
            _ => throw new ArgumentOutOfRangeException(nameof(split), split, "unknown split"),
        };
        var count = Config.EvalExamples == 0 ? indices.Length : Math.Min(Config.EvalExamples, indices.Length);
        _sampler ??= new ImportanceSampler(_model, Config.ImportanceSamples);
        var seed = Xoshiro256StarStar.DeriveSeed(Seed, LogLikelihoodStream, (ulong)split);
        // The model's density is of its inputs; standardised inputs are carried back to the data as given.
        return _sampler.Estimate(name, images, indices.AsSpan(0, count), EvaluationPixels, fileId, seed, cancellationToken)
            .WithLogJacobian(_data.LogJacobian);
    }

    /// <summary>Mean recon and KL over the validation split, one ε per example from the epoch's own stream.</summary>
    private (double Recon, double Kl) Validate(int epoch, CancellationToken cancellationToken)
    {
        _evalNoise.Reseed(Xoshiro256StarStar.DeriveSeed(Seed, ValidationStream, (ulong)epoch));
        int latent = Config.Latent, capacity = _ws.Capacity;
        double recon = 0, kl = 0;
        for (var at = 0; at < _validationIndices.Length; at += capacity)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var rows = Math.Min(capacity, _validationIndices.Length - at);
            BatchLoader.Load(_data.TrainFile, _validationIndices.AsSpan(at, rows), _ws.X, EvaluationPixels, TrainFileId, _evalPixels);
            FillNormal(_ws.Eps.AsSpan(0, rows * latent), _evalNoise);
            _model.Forward(_ws, rows);
            _model.Reconstruction(_ws, rows);
            recon += Sum(_ws.Recon.AsSpan(0, rows));
            kl += Sum(_ws.Kl.AsSpan(0, rows));
        }
        return (recon / _validationIndices.Length, kl / _validationIndices.Length);
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

    /// <summary>Everything in the checkpoint besides counters and the RNG, in file order.</summary>
    private float[][] StateArrays() => [_model.Parameters, _adam.FirstMoment, _adam.SecondMoment];

    private static void FillNormal(Span<float> target, Xoshiro256StarStar rng)
    {
        for (var i = 0; i < target.Length; i++) target[i] = (float)rng.NextGaussian();
    }

    private static double Sum(ReadOnlySpan<double> values)
    {
        var sum = 0.0;
        foreach (var v in values) sum += v;
        return sum;
    }

    private static string Describe(double value) => double.IsNaN(value) ? "NaN" : value > 0 ? "+infinity" : "-infinity";

    private static string Format(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
