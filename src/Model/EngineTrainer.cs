using System.Globalization;
using VaeSweep.Model.Checkpoints;
using VaeSweep.Model.Data;
using VaeSweep.Model.Engines;
using VaeSweep.Model.Evaluation;
using VaeSweep.Model.Optim;
using VaeSweep.Model.Randomness;

namespace VaeSweep.Model;

/// <summary>
/// One trial's training and measuring, for every engine: the epoch loop, divergence and cancellation rules, the
/// validation ELBO, Adam, checkpoints and the held-out estimate. The engine (<see cref="ITrainingEngine"/>) only runs
/// the network's forward and backward passes, so the engines differ in nothing else. Not thread-safe; one trainer
/// per trial. Numeric faults never throw: they come back as a diverged <see cref="EpochOutcome"/>.
/// </summary>
/// <remarks>
/// Randomness (stream ids in <see cref="RandomStreams"/>): one training stream (xoshiro256** seeded from
/// <see cref="TrialConfig.Seed"/>) initialises the weights, then per epoch shuffles the training indices and per batch
/// draws the dynamic binarisation (if any) and then ε. Validation (per epoch) and the log-likelihood estimate (per
/// split) use their own streams derived from the seed, so measuring never changes the training trajectory. Every
/// epoch visits all training examples; the last batch is the remainder and may be smaller than the batch size.
/// Evaluation data is deterministic: grey levels, the static threshold, or for dynamic binarisation one fixed-seed
/// sample per example.
/// </remarks>
public abstract class EngineTrainer : ITrainer
{
    private const int TrainFileId = 0, TestFileId = 1;

    private readonly DataSplits _data;
    private readonly EngineOptions _options;
    private readonly Adam _adam;
    private readonly Xoshiro256StarStar _rng;
    private readonly Xoshiro256StarStar _evalNoise = Xoshiro256StarStar.FromSeed(0);
    private readonly Xoshiro256StarStar _evalPixels = Xoshiro256StarStar.FromSeed(0);
    private readonly int[] _trainIndices;
    private readonly int[] _validationIndices;
    private readonly int[] _order;
    private ImportanceSampler? _sampler;
    private string? _divergence;
    private string? _interruption;

    /// <param name="engine">Builds the engine once the configuration is known to be valid.</param>
    /// <param name="fingerprint">What a checkpoint of this trainer must have been written for (<see cref="RunFingerprint"/>).</param>
    private protected EngineTrainer(TrialConfig config, DataSplits data, EngineOptions options,
        Func<ITrainingEngine> engine, Func<string> fingerprint)
    {
        var errors = config.Validate();
        if (errors.Count > 0) throw new ArgumentException($"invalid trial configuration: {string.Join("; ", errors)}", nameof(config));
        if (data.TrainIndices.Count == 0) throw new ArgumentException("data: the training split is empty", nameof(data));
        if (data.ValidationIndices.Count == 0) throw new ArgumentException("data: the validation split is empty", nameof(data));
        Config = config;
        _data = data;
        _options = options;
        Engine = engine();
        Fingerprint = fingerprint();
        _adam = new Adam(Engine.Parameters.Length, config.LearningRate);
        _rng = Xoshiro256StarStar.FromSeed(Xoshiro256StarStar.DeriveSeed(Seed, RandomStreams.Training));
        _trainIndices = data.TrainIndices.ToArray();
        _validationIndices = data.ValidationIndices.ToArray();
        _order = new int[_trainIndices.Length];
        Engine.Initialize(_rng);
    }

    public TrialConfig Config { get; }

    /// <summary>Epochs trained so far (0 for a new trainer).</summary>
    public int EpochsCompleted { get; private set; }

    public string EngineDescriptor => Engine.Descriptor;

    /// <summary>What a checkpoint of this trainer must have been written for (<see cref="RunFingerprint"/>).</summary>
    internal string Fingerprint { get; }

    /// <summary>Adam updates taken so far: one per minibatch, including each epoch's partial last batch.</summary>
    internal long OptimizerSteps => _adam.Steps;

    internal PixelMode EvaluationPixels => Config.Binarization switch
    {
        Binarization.Static => PixelMode.Threshold,
        Binarization.Dynamic => PixelMode.FixedSample,
        _ => PixelMode.Grey,
    };

    private protected ITrainingEngine Engine { get; }

    private ulong Seed => unchecked((ulong)(long)Config.Seed);

    private PixelMode TrainingPixels => Config.Binarization switch
    {
        Binarization.Static => PixelMode.Threshold,
        Binarization.Dynamic => PixelMode.Sample,
        _ => PixelMode.Grey,
    };

    /// <summary>Weights, Adam moments, epoch and RNG state; versioned and checksummed.</summary>
    /// <exception cref="InvalidOperationException">An epoch was interrupted, so the state is not at an epoch boundary.</exception>
    public byte[] SaveCheckpoint()
    {
        ThrowIfInterrupted();
        return TrainingState.Save(Fingerprint, EpochsCompleted, _adam.Steps, _rng, StateArrays());
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
        int latent = Config.Latent, capacity = Engine.Capacity;
        var beta = Config.Beta;
        double recon = 0, kl = 0;
        var step = 0;
        for (var at = 0; at < _order.Length; at += capacity)
        {
            cancellationToken.ThrowIfCancellationRequested();
            step++;
            var rows = Math.Min(capacity, _order.Length - at);
            BatchLoader.Load(_data.TrainFile, _order.AsSpan(at, rows), Engine.Input, TrainingPixels, TrainFileId, _rng);
            FillNormal(Engine.Noise.AsSpan(0, rows * latent), _rng);
            var (batchRecon, batchKl) = Engine.Forward(rows, training: true);
            var objective = batchRecon + beta * batchKl;
            if (!double.IsFinite(objective))
                return Diverge(epoch, $"objective is {Describe(objective)} at epoch {epoch}, step {step} " +
                               $"(mean recon {Format(batchRecon / rows)}, mean KL {Format(batchKl / rows)})");
            Engine.Backward(rows, beta);
            _adam.Step(Engine.Parameters, Engine.Gradients, Config.Threads);
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
        _sampler ??= new ImportanceSampler(Engine, images.Dimension, Config.Latent, Config.ImportanceSamples, Config.ActiveThreshold);
        var seed = Xoshiro256StarStar.DeriveSeed(Seed, RandomStreams.LogLikelihood, (ulong)split);
        // The model's density is of its inputs; standardised inputs are carried back to the data as given.
        return _sampler.Estimate(name, images, indices.AsSpan(0, count), EvaluationPixels, fileId, seed, cancellationToken)
            .WithLogJacobian(_data.LogJacobian);
    }

    /// <summary>Frees the engine's native memory (libtorch tensors); a no-op for the native engine.</summary>
    public void Dispose()
    {
        _sampler?.Dispose();
        Engine.Dispose();
    }

    /// <summary>Restores the complete training state; continuing gives exactly the run that would have continued.</summary>
    /// <exception cref="CheckpointException">Version, checksum or configuration mismatch (the trainer is then disposed).</exception>
    private protected void Restore(ReadOnlySpan<byte> checkpoint)
    {
        try
        {
            (EpochsCompleted, _adam.Steps) = TrainingState.Restore(checkpoint, Fingerprint, _rng, StateArrays());
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Mean recon and KL over the validation split, one ε per example from the epoch's own stream.</summary>
    private (double Recon, double Kl) Validate(int epoch, CancellationToken cancellationToken)
    {
        _evalNoise.Reseed(Xoshiro256StarStar.DeriveSeed(Seed, RandomStreams.Validation, (ulong)epoch));
        int latent = Config.Latent, capacity = Engine.Capacity;
        double recon = 0, kl = 0;
        for (var at = 0; at < _validationIndices.Length; at += capacity)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var rows = Math.Min(capacity, _validationIndices.Length - at);
            BatchLoader.Load(_data.TrainFile, _validationIndices.AsSpan(at, rows), Engine.Input, EvaluationPixels, TrainFileId, _evalPixels);
            FillNormal(Engine.Noise.AsSpan(0, rows * latent), _evalNoise);
            var (batchRecon, batchKl) = Engine.Forward(rows, training: false);
            recon += batchRecon;
            kl += batchKl;
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
    private float[][] StateArrays() => [Engine.Parameters, _adam.FirstMoment, _adam.SecondMoment];

    private static void FillNormal(Span<float> target, Xoshiro256StarStar rng)
    {
        for (var i = 0; i < target.Length; i++) target[i] = (float)rng.NextGaussian();
    }

    private static string Describe(double value) => double.IsNaN(value) ? "NaN" : value > 0 ? "+infinity" : "-infinity";

    private static string Format(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
