using VaeSweep.Model.Data;
using VaeSweep.Model.Engines;
using VaeSweep.Model.Randomness;
using static TorchSharp.torch;

namespace VaeSweep.Model.Torch;

/// <summary>
/// The torch engine's passes: <see cref="TorchNetwork"/> and <see cref="TorchLikelihood"/> on libtorch, over pinned
/// managed buffers that the tensors view, so the trainer's loads and Adam steps touch no copies.
/// </summary>
/// <remarks>
/// libtorch's grad mode and dispose scopes are per thread, so every pass opens and closes its own on the thread that
/// runs it, and no scope stays open between calls (a grain's thread runs other trials' code in between). The training
/// forward keeps only its two per-row terms alive until <see cref="Backward"/>; the autograd graph holds the rest.
/// </remarks>
internal sealed class TorchEngine : ITrainingEngine
{
    /// <summary>Channels of the two conv layers.</summary>
    internal static readonly (int First, int Second) ConvChannels = (32, 64);

    private readonly int _threads;
    private readonly TorchLikelihood _likelihood;
    private readonly Tensor _xs;         // views Input
    private readonly Tensor _epsilons;   // views Noise
    private Tensor? _recon, _kl;         // [B] the last training forward's terms, until its backward

    /// <exception cref="ArgumentException">The images do not fit the architecture.</exception>
    /// <exception cref="EngineUnavailableException">libtorch does not load here.</exception>
    public TorchEngine(TrialConfig config, EngineOptions options, DataSplits data)
    {
        TorchRuntime.Use(config.Threads);
        _threads = config.Threads;
        var file = data.TrainFile;
        Network = new TorchNetwork(config, file.Rows, file.Columns, ScalarType.Float32, ConvChannels);
        _likelihood = new TorchLikelihood(config, options, file.Dimension);
        Input = GC.AllocateArray<float>(config.BatchSize * file.Dimension, pinned: true);
        Noise = GC.AllocateArray<float>(config.BatchSize * config.Latent, pinned: true);
        _xs = frombuffer(Input, ScalarType.Float32).view(config.BatchSize, file.Dimension);
        _epsilons = frombuffer(Noise, ScalarType.Float32).view(config.BatchSize, config.Latent);
        Capacity = config.BatchSize;
    }

    /// <summary>The network, for tests.</summary>
    public TorchNetwork Network { get; }

    public string Descriptor => TorchRuntime.Descriptor(_threads);

    public float[] Parameters => Network.Values;

    public float[] Gradients => Network.Gradients;

    public int Capacity { get; }

    public float[] Input { get; }

    public float[] Noise { get; }

    public void Initialize(Xoshiro256StarStar rng) => Network.Initialize(rng);

    public (double Recon, double Kl) Forward(int rows, bool training)
    {
        // The pool is process-wide: another trial in this process may have resized it since this one last ran.
        TorchRuntime.Use(_threads);
        ReleasePass();
        using var scope = NewDisposeScope();
        using var grad = training ? null : no_grad();
        var (recon, kl) = Terms(Network, _likelihood, _xs.narrow(0, 0, rows), _epsilons.narrow(0, 0, rows));
        var sums = (recon.detach().to_type(ScalarType.Float64).sum().item<double>(),
                    kl.detach().to_type(ScalarType.Float64).sum().item<double>());
        if (training) (_recon, _kl) = (recon.DetachFromDisposeScope(), kl.DetachFromDisposeScope());
        return sums;
    }

    public void Backward(int rows, double beta)
    {
        if (_recon is null || _kl is null) throw new InvalidOperationException("backward without a training forward");
        using (var scope = NewDisposeScope())
        {
            Network.ZeroGradients();
            _recon.add(_kl.mul(beta)).mean().backward();
        }
        ReleasePass();
    }

    public IEstimatorNetwork CreateEstimator(int groupCapacity, int samples) =>
        new Estimator(Network, _likelihood, _threads, groupCapacity, samples);

    public void Dispose()
    {
        ReleasePass();
        Network.Dispose();
        _xs.Dispose();
        _epsilons.Dispose();
    }

    /// <summary>recon[B] and KL[B] of <paramref name="network"/> at ε[B,Z]; the gradient tests differentiate exactly this.</summary>
    internal static (Tensor Recon, Tensor Kl) Terms(TorchNetwork network, TorchLikelihood likelihood, Tensor x, Tensor eps)
    {
        var (mu, logVariance) = network.Encode(x);
        var zs = mu.add(logVariance.mul(0.5).exp().mul(eps));
        var kl = mu.square().add(logVariance.exp()).sub(1).sub(logVariance).sum(1).mul(0.5);
        return (likelihood.NegativeLogProbability(network.Decode(zs), x), kl);
    }

    private void ReleasePass()
    {
        _recon?.Dispose();
        _kl?.Dispose();
        (_recon, _kl) = (null, null);
    }

    /// <summary>One lane: libtorch's own pool parallelises each chunk, and big chunks keep its GEMMs efficient.</summary>
    private sealed class Estimator : IEstimatorNetwork
    {
        private const int ChunkCapacity = 1024;

        private readonly TorchNetwork _network;
        private readonly int _threads;
        private readonly float[] _stats;   // [G, 2Z]
        private readonly Tensor _xs;       // views GroupInput
        private readonly Lane _lane;

        public Estimator(TorchNetwork network, TorchLikelihood likelihood, int threads, int groupCapacity, int samples)
        {
            _network = network;
            _threads = threads;
            var d = network.Dimension;
            GroupInput = GC.AllocateArray<float>(groupCapacity * d, pinned: true);
            _xs = frombuffer(GroupInput, ScalarType.Float32).view(groupCapacity, d);
            _stats = new float[groupCapacity * 2 * network.Latent];
            _lane = new Lane(network, likelihood, Math.Min(samples, ChunkCapacity));
            Lanes = [_lane];
        }

        public float[] GroupInput { get; }

        public IReadOnlyList<IDecoderLane> Lanes { get; }

        public float[] EncodeGroup(int rows)
        {
            TorchRuntime.Use(_threads);
            using var scope = NewDisposeScope();
            using var grad = no_grad();
            var (mu, logVariance) = _network.Encode(_xs.narrow(0, 0, rows));
            cat([mu, logVariance], 1).contiguous().data<float>().CopyTo(_stats, 0);
            return _stats;
        }

        public void Dispose()
        {
            _xs.Dispose();
            _lane.Dispose();
        }
    }

    private sealed class Lane : IDecoderLane, IDisposable
    {
        private readonly TorchNetwork _network;
        private readonly TorchLikelihood _likelihood;
        private readonly float[] _x;       // [1, D] the example being scored
        private readonly Tensor _xRow;     // views _x
        private readonly Tensor _zs;       // views Latents
        private readonly double[] _result;

        public Lane(TorchNetwork network, TorchLikelihood likelihood, int capacity)
        {
            _network = network;
            _likelihood = likelihood;
            Capacity = capacity;
            _x = GC.AllocateArray<float>(network.Dimension, pinned: true);
            Latents = GC.AllocateArray<float>(capacity * network.Latent, pinned: true);
            _xRow = frombuffer(_x, ScalarType.Float32).view(1, network.Dimension);
            _zs = frombuffer(Latents, ScalarType.Float32).view(capacity, network.Latent);
            _result = new double[capacity];
        }

        public int Capacity { get; }

        public float[] Latents { get; }

        public void LogLikelihoods(int count, ReadOnlySpan<float> x, Span<double> result)
        {
            x.CopyTo(_x);
            using var scope = NewDisposeScope();
            using var grad = no_grad();
            var logits = _network.Decode(_zs.narrow(0, 0, count));
            _likelihood.LogProbabilityInDouble(logits, _xRow).data<double>().CopyTo(_result, 0);
            _result.AsSpan(0, count).CopyTo(result);
        }

        public void Dispose()
        {
            _xRow.Dispose();
            _zs.Dispose();
        }
    }
}
