using TorchSharp;
using VaeSweep.Model.Randomness;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace VaeSweep.Model.Torch;

/// <summary>
/// The VAE's parameters as libtorch tensors, and its encoder and decoder as functions of them (no nn.Module: the trainer
/// owns the parameter list, its Adam moments and its checkpoint layout, exactly as the native engine does).
/// </summary>
/// <remarks>
/// Every parameter tensor is a view of one pinned managed vector <see cref="Values"/> [P], and its .grad a view of
/// another, <see cref="Gradients"/> [P], into which backward accumulates in place: the trainer zeroes the gradients,
/// runs backward, and updates the weights with the native engine's fused Adam kernel over the flat vectors, with no
/// copies between C# and libtorch. Float32 for training; Float64 (double vectors) for the gradient tests.
/// </remarks>
/// <remarks>
/// mlp: x[B,D] ─Linear─act─ … ─Linear→ [B,2Z] = μ | log σ²;  z ─Linear─act─ … ─Linear→ logits[B,D]. Parameters in the
/// native engine's order and layout (each layer's W[Out,In] then b), so the flat vector is the native one.
/// conv: x[B,1,28,28] ─Conv(4,s2,p1)─act→ [B,C₁,14,14] ─Conv(4,s2,p1)─act→ [B,C₂,7,7] → flatten → the mlp's hidden layers
/// → head; the decoder mirrors it: hidden layers → Linear─act→ [B,C₂·49] → ConvT(4,s2,p1)─act→ [B,C₁,14,14] → ConvT → logits.
/// Every layer is initialised as PyTorch does by default (U(±1/√fan_in) for weight and bias), from the trial's stream.
/// </remarks>
internal sealed class TorchNetwork : IDisposable
{
    private const int Kernel = 4, Stride = 2, Padding = 1;

    private readonly List<Layer> _encoder = [];
    private readonly List<Layer> _decoder = [];
    private readonly Activation _activation;
    private readonly int _rows, _columns, _latent;
    private readonly (int First, int Second) _channels;
    private readonly bool _conv;
    private readonly Array _values;      // [P] pinned float[] or double[]
    private readonly Array _gradients;   // [P] pinned, the same type
    private long _allocated;

    /// <param name="channels">Channels of the two conv layers (conv only); the trainer uses (32, 64).</param>
    public TorchNetwork(TrialConfig config, int rows, int columns, ScalarType type, (int First, int Second) channels)
    {
        _activation = config.Activation;
        _rows = rows;
        _columns = columns;
        _latent = config.Latent;
        _channels = channels;
        _conv = config.Arch == Architecture.Conv;
        Dimension = rows * columns;
        if (_conv && (rows % 4 != 0 || columns % 4 != 0))
            throw new ArgumentException($"arch conv needs image sides divisible by 4 (28×28 → 7×7), got {rows}×{columns}");

        var count = CountParameters(config, rows, columns, channels);
        _values = type == ScalarType.Float64 ? GC.AllocateArray<double>(count, pinned: true) : GC.AllocateArray<float>(count, pinned: true);
        _gradients = type == ScalarType.Float64 ? GC.AllocateArray<double>(count, pinned: true) : GC.AllocateArray<float>(count, pinned: true);
        var hidden = config.Hidden;
        int width;
        if (_conv)
        {
            _encoder.Add(NewLayer(LayerKind.Conv, 1, channels.First, type));
            _encoder.Add(NewLayer(LayerKind.Conv, channels.First, channels.Second, type));
            width = channels.Second * (rows / 4) * (columns / 4);
        }
        else width = Dimension;
        foreach (var h in hidden) { _encoder.Add(NewLayer(LayerKind.Linear, width, h, type)); width = h; }
        Head = NewLayer(LayerKind.Linear, width, 2 * _latent, type);

        width = _latent;
        foreach (var h in hidden.Reverse()) { _decoder.Add(NewLayer(LayerKind.Linear, width, h, type)); width = h; }
        if (_conv)
        {
            _decoder.Add(NewLayer(LayerKind.Linear, width, channels.Second * (rows / 4) * (columns / 4), type));
            _decoder.Add(NewLayer(LayerKind.ConvTranspose, channels.Second, channels.First, type));
            _decoder.Add(NewLayer(LayerKind.ConvTranspose, channels.First, 1, type));
        }
        else _decoder.Add(NewLayer(LayerKind.Linear, width, Dimension, type));
        Parameters = [.. _encoder.Concat([Head]).Concat(_decoder).SelectMany(l => new[] { l.Weight, l.Bias })];
        if (_allocated != count) throw new InvalidOperationException($"laid out {_allocated} parameters, counted {count}");
    }

    /// <summary>[P] the weights every parameter tensor views (Float32 networks).</summary>
    public float[] Values => (float[])_values;

    /// <summary>[P] ∂loss/∂Values after a backward pass from zeroed gradients (Float32 networks).</summary>
    public float[] Gradients => (float[])_gradients;

    /// <summary>Zeroes the gradient vector before a backward pass (backward accumulates).</summary>
    public void ZeroGradients() => Array.Clear(_gradients);

    public int Dimension { get; }

    public int Latent => _latent;

    private Layer Head { get; }

    /// <summary>Every weight then bias, encoder → head → decoder, each requiring gradients.</summary>
    public IReadOnlyList<Tensor> Parameters { get; }

    public long ParameterCount => Parameters.Sum(p => p.numel());

    /// <summary>PyTorch's default initialisation, in parameter order, from <paramref name="rng"/> (as the native engine draws it).</summary>
    public void Initialize(Xoshiro256StarStar rng)
    {
        using var _ = no_grad();
        foreach (var layer in _encoder.Concat([Head]).Concat(_decoder))
        {
            var bound = 1.0 / Math.Sqrt(layer.FanIn);
            foreach (var p in new[] { layer.Weight, layer.Bias })
            {
                var values = new double[p.numel()];
                for (var i = 0; i < values.Length; i++) values[i] = (float)((2 * rng.NextDouble() - 1) * bound);
                using var source = tensor(values, p.shape).to_type(p.dtype);
                p.copy_(source);
            }
        }
    }

    /// <summary>x[B,D] → (μ[B,Z], log σ²[B,Z]).</summary>
    public (Tensor Mu, Tensor LogVariance) Encode(Tensor x)
    {
        var h = _conv ? x.reshape(-1, 1, _rows, _columns) : x;
        var i = 0;
        for (; _conv && i < 2; i++) h = Activate(F.conv2d(h, _encoder[i].Weight, _encoder[i].Bias, strides: [Stride], padding: [Padding]));
        if (_conv) h = h.flatten(1);
        for (; i < _encoder.Count; i++) h = Activate(F.linear(h, _encoder[i].Weight, _encoder[i].Bias));
        var stats = F.linear(h, Head.Weight, Head.Bias);
        return (stats.narrow(1, 0, _latent), stats.narrow(1, _latent, _latent));
    }

    /// <summary>z[B,Z] → logits[B,D].</summary>
    public Tensor Decode(Tensor z)
    {
        var h = z;
        var linear = _conv ? _decoder.Count - 2 : _decoder.Count;
        for (var i = 0; i < linear; i++)
        {
            h = F.linear(h, _decoder[i].Weight, _decoder[i].Bias);
            if (i < linear - 1 || _conv) h = Activate(h);
        }
        if (!_conv) return h;
        h = h.reshape(-1, _channels.Second, _rows / 4, _columns / 4);
        h = Activate(F.conv_transpose2d(h, _decoder[linear].Weight, _decoder[linear].Bias, strides: [Stride], padding: [Padding]));
        h = F.conv_transpose2d(h, _decoder[linear + 1].Weight, _decoder[linear + 1].Bias, strides: [Stride], padding: [Padding]);
        return h.reshape(-1, Dimension);
    }

    private Tensor Activate(Tensor x) => _activation switch
    {
        Activation.Relu => F.relu(x),
        Activation.Tanh => x.tanh(),
        Activation.Softplus => F.softplus(x),
        _ => x,
    };

    public void Dispose()
    {
        foreach (var p in Parameters) p.Dispose();
    }

    /// <summary>P for this config, counted the way the constructor lays the layers out.</summary>
    private static int CountParameters(TrialConfig config, int rows, int columns, (int First, int Second) channels)
    {
        long Linear(long inputs, long outputs) => inputs * outputs + outputs;
        long Conv(long inputs, long outputs) => inputs * outputs * Kernel * Kernel + outputs;
        var conv = config.Arch == Architecture.Conv;
        var flat = (long)channels.Second * (rows / 4) * (columns / 4);
        long total = 0, width = conv ? flat : rows * columns;
        if (conv) total += Conv(1, channels.First) + Conv(channels.First, channels.Second);
        foreach (var h in config.Hidden) { total += Linear(width, h); width = h; }
        total += Linear(width, 2 * config.Latent);
        width = config.Latent;
        foreach (var h in config.Hidden.Reverse()) { total += Linear(width, h); width = h; }
        total += conv
            ? Linear(width, flat) + Conv(channels.Second, channels.First) + Conv(channels.First, 1)
            : Linear(width, rows * columns);
        return checked((int)total);
    }

    private Layer NewLayer(LayerKind kind, int inputs, int outputs, ScalarType type)
    {
        // nn.ConvTranspose2d stores weights [in, out, k, k] and PyTorch takes fan_in from dimension 1: out·k·k.
        var (shape, fanIn) = kind switch
        {
            LayerKind.Linear => (new long[] { outputs, inputs }, inputs),
            LayerKind.Conv => (new long[] { outputs, inputs, Kernel, Kernel }, inputs * Kernel * Kernel),
            _ => (new long[] { inputs, outputs, Kernel, Kernel }, outputs * Kernel * Kernel),
        };
        return new Layer(View(shape, type), View([outputs], type), fanIn);
    }

    // A leaf tensor over the next numel values of the flat vector, its .grad over the same range of the gradients.
    private Tensor View(long[] shape, ScalarType type)
    {
        var n = shape.Aggregate(1L, (a, b) => a * b);
        var parameter = frombuffer(_values, type, n, _allocated).view(shape).requires_grad_();
        parameter.grad = frombuffer(_gradients, type, n, _allocated).view(shape);
        _allocated += n;
        return parameter;
    }

    private enum LayerKind { Linear, Conv, ConvTranspose }

    private sealed record Layer(Tensor Weight, Tensor Bias, int FanIn);
}
