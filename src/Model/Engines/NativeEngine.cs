using VaeSweep.Model.Randomness;

namespace VaeSweep.Model.Engines;

/// <summary>The native engine's passes: <see cref="Vae"/> over one <see cref="VaeWorkspace"/> of batch-size rows.</summary>
internal sealed class NativeEngine : ITrainingEngine
{
    private readonly VaeWorkspace _ws;

    public NativeEngine(TrialConfig config, EngineOptions options, int dimension)
    {
        Model = new Vae(config, options, dimension);
        _ws = new VaeWorkspace(Model, config.BatchSize);
    }

    /// <summary>The network, for tests that set weights and for <see cref="TrainedVae"/>.</summary>
    public Vae Model { get; }

    public string Descriptor => EngineInfo.Descriptor;

    public float[] Parameters => Model.Parameters;

    public float[] Gradients => Model.Gradients;

    public int Capacity => _ws.Capacity;

    public float[] Input => _ws.X;

    public float[] Noise => _ws.Eps;

    public void Initialize(Xoshiro256StarStar rng) => Model.Initialize(rng);

    public (double Recon, double Kl) Forward(int rows, bool training)
    {
        Model.Forward(_ws, rows);
        if (training) Model.ReconstructionWithGradient(_ws, rows);
        else Model.Reconstruction(_ws, rows);
        return (Sum(_ws.Recon.AsSpan(0, rows)), Sum(_ws.Kl.AsSpan(0, rows)));
    }

    public void Backward(int rows, double beta) => Model.Backward(_ws, rows, beta);

    public IEstimatorNetwork CreateEstimator(int groupCapacity, int samples) => new Estimator(Model, groupCapacity, samples);

    /// <summary>Nothing to free: the buffers are managed arrays.</summary>
    public void Dispose() { }

    private static double Sum(ReadOnlySpan<double> values)
    {
        var sum = 0.0;
        foreach (var v in values) sum += v;
        return sum;
    }

    /// <summary>The group is encoded on the model's threads; each lane decodes on one thread (the lanes are the parallelism).</summary>
    private sealed class Estimator(Vae model, int groupCapacity, int samples) : IEstimatorNetwork
    {
        /// <summary>Rows per decoder pass: big enough for efficient GEMMs, small enough to stay in cache.</summary>
        private const int ChunkCapacity = 256;

        private readonly VaeWorkspace _group = new(model, groupCapacity);

        public float[] GroupInput => _group.X;

        public IReadOnlyList<IDecoderLane> Lanes { get; } =
            [.. Enumerable.Range(0, model.Threads).Select(_ => new Lane(model, Math.Min(samples, ChunkCapacity)))];

        public float[] EncodeGroup(int rows)
        {
            model.Encode(_group, rows);
            return _group.Stats;
        }

        public void Dispose() { }
    }

    private sealed class Lane(Vae model, int capacity) : IDecoderLane
    {
        private readonly VaeWorkspace _ws = new(model, capacity);   // [C] Z, decoder activations, Logits

        public int Capacity => capacity;

        public float[] Latents => _ws.Z;

        public void LogLikelihoods(int count, ReadOnlySpan<float> x, Span<double> result)
        {
            model.Decode(_ws, count, threads: 1);
            model.Likelihood.LogProbabilityPerRow(_ws.Logits.AsSpan(0, count * model.Dimension), x, result[..count]);
        }
    }
}
