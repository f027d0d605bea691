using System.Buffers.Binary;
using System.Runtime.InteropServices;
using VaeSweep.Model.Checkpoints;
using VaeSweep.Model.Data;
using VaeSweep.Model.Randomness;

namespace VaeSweep.Model;

/// <summary>
/// A trained VAE restored from one of its checkpoints, to look at what it learned: encoder means of test
/// images, their reconstructions, and decoded samples from the prior. Reads nothing but the bytes it is given.
/// Not thread-safe. Examples are [n, D] row-major floats in the data's units (grey levels in [0, 1] for images of
/// bytes; standardised data is mapped back); codes are [n, Z].
/// </summary>
public sealed class TrainedVae
{
    private const int TestFileId = 1;
    private const int Chunk = 64;

    private readonly Vae _model;
    private readonly DataSplits _data;
    private readonly PixelMode _pixels;
    private readonly bool _linearMean;
    private readonly bool _clampMean;
    private readonly VaeWorkspace _ws;
    private readonly Xoshiro256StarStar _pixelNoise = Xoshiro256StarStar.FromSeed(0);

    private TrainedVae(VaeTrainer trainer, DataSplits data, EngineOptions options, int epochs)
    {
        _model = trainer.Model;
        _data = data;
        _pixels = trainer.EvaluationPixels;
        var gaussian = trainer.Config.Likelihood == Likelihood.Gaussian;
        _linearMean = gaussian && (options.LinearGaussianMean || trainer.Config.Output == Output.Identity);
        // The pPCA oracle's linear mean models grey levels, so its images are clamped to them; output: identity is unbounded data.
        _clampMean = gaussian && options.LinearGaussianMean && trainer.Config.Output == Output.Sigmoid;
        _ws = new VaeWorkspace(_model, Chunk);
        EpochsCompleted = epochs;
    }

    public int Latent => _model.Latent;

    /// <summary>Values per example.</summary>
    public int Dimension => _model.Dimension;

    /// <summary>The examples' shape: an image (rows × columns × channels) or plain features.</summary>
    public DataShape Shape => _data.Test.Shape;

    /// <summary>Whether examples are floats as given (their range is the data's own) rather than bytes scaled to [0, 1].</summary>
    public bool IsFloatData => _data.Test.IsFloat || _data.Standardization is not null;

    /// <summary>Whether the test examples carry class labels.</summary>
    public bool HasLabels => _data.Test.HasLabels;

    /// <summary>Epochs the checkpoint had trained.</summary>
    public int EpochsCompleted { get; }

    /// <summary>The test file's examples, whose first ones every method here works on.</summary>
    public int TestCount => _data.Test.Count;

    /// <summary>
    /// Whether <paramref name="checkpoint"/> is in this engine's format: a checkpoint or the <see cref="WeightsOnly"/> of
    /// one (other engines write their own).
    /// </summary>
    public static bool IsNativeCheckpoint(ReadOnlySpan<byte> checkpoint) =>
        CheckpointEnvelope.HasMagic(checkpoint) || checkpoint.StartsWith(CheckpointEnvelope.WeightsMagic);

    /// <summary>
    /// The weights of a checkpoint without the optimiser state and RNG (a third of its size), in the same checked
    /// container, still bound to the checkpoint's configuration. Enough to decode; not to resume.
    /// </summary>
    /// <exception cref="CheckpointException">Not a checkpoint of this engine, or corrupt.</exception>
    public static byte[] WeightsOnly(ReadOnlySpan<byte> checkpoint)
    {
        var (fingerprint, payload) = CheckpointEnvelope.Open(checkpoint);
        // The layout VaeTrainer.SaveCheckpoint writes: epoch, Adam steps, RNG state, parameter count, parameters, moments.
        const int countAt = sizeof(int) + sizeof(long) + Xoshiro256StarStar.StateBytes;
        if (payload.Length < countAt + sizeof(int)) throw new CheckpointException($"checkpoint is malformed: {payload.Length}-byte payload");
        var count = BinaryPrimitives.ReadInt32LittleEndian(payload.AsSpan(countAt));
        var bytes = (long)count * sizeof(float);
        if (count < 0 || payload.Length != countAt + sizeof(int) + 3 * bytes)
            throw new CheckpointException($"checkpoint is malformed: {count} parameters in a {payload.Length}-byte payload");
        var weights = new byte[2 * sizeof(int) + bytes];
        payload.AsSpan(0, sizeof(int)).CopyTo(weights);
        BinaryPrimitives.WriteInt32LittleEndian(weights.AsSpan(sizeof(int)), count);
        payload.AsSpan(countAt + sizeof(int), (int)bytes).CopyTo(weights.AsSpan(2 * sizeof(int)));
        return CheckpointEnvelope.Wrap(fingerprint, weights, CheckpointEnvelope.WeightsMagic);
    }

    /// <param name="checkpoint">A checkpoint of the trial, or its <see cref="WeightsOnly"/>.</param>
    /// <param name="data">The splits the trial trained on (the checkpoint is checked against them).</param>
    /// <exception cref="CheckpointException">Not a checkpoint of this engine, corrupt, or of another configuration.</exception>
    public static TrainedVae FromCheckpoint(TrialConfig config, DataSplits data, ReadOnlySpan<byte> checkpoint) =>
        FromCheckpoint(config, data, checkpoint, EngineOptions.Default);

    internal static TrainedVae FromCheckpoint(TrialConfig config, DataSplits data, ReadOnlySpan<byte> checkpoint, EngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(data);
        if (config.Arch != Architecture.Mlp)
            throw new CheckpointException($"no {config.Arch.ToString().ToLowerInvariant()} decoder here: only mlp weights are restored outside the torch engine");
        if (!checkpoint.StartsWith(CheckpointEnvelope.WeightsMagic))
        {
            if (config.Engine == Engine.Native)
            {
                var resumed = VaeTrainer.Resume(config, data, checkpoint, options);
                return new TrainedVae(resumed, data, options, resumed.EpochsCompleted);
            }
            checkpoint = WeightsOnly(checkpoint);
        }

        // A torch mlp holds the native parameters in the native order and computes the same function, so the native
        // network decodes it; its weights stay bound to the torch run's fingerprint.
        var trainer = VaeTrainer.Create(config with { Engine = Engine.Native }, data, options);
        var fingerprint = config.Engine == Engine.Torch ? RunFingerprint.DescribeTorch(config, options, data) : trainer.Fingerprint;
        var payload = CheckpointEnvelope.Unwrap(checkpoint, fingerprint, CheckpointEnvelope.WeightsMagic);
        var parameters = trainer.Model.Parameters;
        if (payload.Length < 2 * sizeof(int)) throw new CheckpointException($"weights are malformed: {payload.Length}-byte payload");
        var epoch = BinaryPrimitives.ReadInt32LittleEndian(payload);
        var count = BinaryPrimitives.ReadInt32LittleEndian(payload[sizeof(int)..]);
        if (count != parameters.Length || payload.Length != 2 * sizeof(int) + (long)count * sizeof(float) || epoch < 0)
            throw new CheckpointException($"weights hold {count} parameters after epoch {epoch} in {payload.Length} bytes; the model has {parameters.Length}");
        payload[(2 * sizeof(int))..].CopyTo(MemoryMarshal.AsBytes(parameters.AsSpan()));
        return new TrainedVae(trainer, data, options, epoch);
    }

    /// <summary>The first <paramref name="count"/> test examples as the model sees them (grey, or binarised as in evaluation), in the data's units.</summary>
    public float[] TestImages(int count)
    {
        var x = ModelInputs(count);
        _data.Standardization?.Invert(x);
        return x;
    }

    private float[] ModelInputs(int count)
    {
        CheckCount(count);
        var d = Dimension;
        var x = new float[count * d];
        var indices = Enumerable.Range(0, count).ToArray();
        BatchLoader.Load(_data.Test, indices, x, _pixels, TestFileId, _pixelNoise);
        return x;
    }

    /// <summary>The test labels of the first <paramref name="count"/> test images.</summary>
    public byte[] TestLabels(int count)
    {
        CheckCount(count);
        return _data.Test.Labels.Span[..count].ToArray();
    }

    /// <summary>μ of q(z|x) for the first <paramref name="count"/> test images.</summary>
    public float[] EncodeTestMeans(int count)
    {
        var x = ModelInputs(count);
        int d = Dimension, z = Latent;
        var means = new float[count * z];
        for (var at = 0; at < count; at += Chunk)
        {
            var rows = Math.Min(Chunk, count - at);
            x.AsSpan(at * d, rows * d).CopyTo(_ws.X);
            _model.Encode(_ws, rows);
            for (var r = 0; r < rows; r++)
                _ws.Stats.AsSpan(r * 2 * z, z).CopyTo(means.AsSpan((at + r) * z, z));
        }
        return means;
    }

    /// <summary>The mean of p(x|z) for each code, in the data's units: decoding the encoder mean gives the reconstruction.</summary>
    /// <param name="codes">[n, Z].</param>
    public float[] Decode(ReadOnlySpan<float> codes)
    {
        int d = Dimension, z = Latent;
        if (codes.Length % z != 0)
            throw new ArgumentException($"codes: {codes.Length} values is not a whole number of {z}-dimensional codes", nameof(codes));
        var count = codes.Length / z;
        var images = new float[count * d];
        for (var at = 0; at < count; at += Chunk)
        {
            var rows = Math.Min(Chunk, count - at);
            codes.Slice(at * z, rows * z).CopyTo(_ws.Z);
            _model.Decode(_ws, rows);
            var target = images.AsSpan(at * d, rows * d);
            var logits = _ws.Logits.AsSpan(0, rows * d);
            for (var i = 0; i < target.Length; i++)
                target[i] = _clampMean ? Math.Clamp(logits[i], 0f, 1f) : _linearMean ? logits[i] : 1f / (1f + MathF.Exp(-logits[i]));
        }
        _data.Standardization?.Invert(images);
        return images;
    }

    /// <summary>Decoded means of the first <paramref name="count"/> test images' encoder means.</summary>
    public float[] ReconstructTest(int count) => Decode(EncodeTestMeans(count));

    /// <summary>The decoder's means at <paramref name="count"/> codes drawn from the prior N(0, I) with <paramref name="seed"/>.</summary>
    public float[] SamplePrior(int count, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var rng = Xoshiro256StarStar.FromSeed(seed);
        var codes = new float[count * Latent];
        for (var i = 0; i < codes.Length; i++) codes[i] = (float)rng.NextGaussian();
        return Decode(codes);
    }

    private void CheckCount(int count)
    {
        if (count < 0 || count > _data.Test.Count)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"must be between 0 and the {_data.Test.Count} test images");
    }
}
