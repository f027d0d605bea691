using VaeSweep.Model.Kernels;
using VaeSweep.Model.Layers;
using VaeSweep.Model.Randomness;

namespace VaeSweep.Model;

// Dimension legend (every shape comment in the engine uses it):
//   B  rows in a pass: a training minibatch, a validation batch, or a chunk of importance samples
//   D  pixels per image (784 for 28×28)
//   H  a hidden width; the config lists H_0 … H_(n−1) from the input side, the decoder uses them reversed
//   Z  latent size
//   K  importance samples per example (evaluation only)
//
//   x[B,D] ─Linear─act─ … ─Linear→ stats[B,2Z] = μ | log σ²        encoder (n hidden layers, then the head)
//   z[B,Z] = μ + exp(½ log σ²) ⊙ ε,  KL[B] = ½ Σ (μ² + σ² − 1 − log σ²)
//   z ─Linear─act─ … ─Linear→ logits[B,D] → log p(x|z)              decoder (n hidden layers, then the output)
//
// Training objective per example: recon + β·KL with recon = −log p(x|z) at one ε; the batch objective is
// the mean over rows, so every gradient carries a factor 1/B.

/// <summary>
/// The VAE: layer shapes, one flat parameter vector (and its gradient) shared by all layers, and the forward
/// and backward passes over a <see cref="VaeWorkspace"/>. Holds no per-pass state of its own.
/// </summary>
internal sealed class Vae
{
    public Vae(TrialConfig config, EngineOptions options, int dimension)
    {
        Dimension = dimension;
        Latent = config.Latent;
        Activation = config.Activation;
        Threads = config.Threads;
        Likelihood = DecoderLikelihood.Create(config, options, dimension);

        // Widths along the encoder, then along the decoder, decide the flat layout (and so the checkpoint layout).
        var hidden = config.Hidden.ToArray();
        var shapes = new List<(int In, int Out)>();
        var width = dimension;
        foreach (var h in hidden) { shapes.Add((width, h)); width = h; }
        shapes.Add((width, 2 * Latent));
        width = Latent;
        foreach (var h in hidden.Reverse()) { shapes.Add((width, h)); width = h; }
        shapes.Add((width, dimension));

        var total = shapes.Sum(s => (long)s.In * s.Out + s.Out);
        if (total > Array.MaxLength) throw new ArgumentException($"model has {total} parameters, more than one array can hold");
        Parameters = new float[total];
        Gradients = new float[total];
        var offset = 0;
        var layers = new Linear[shapes.Count];
        for (var i = 0; i < shapes.Count; i++)
        {
            layers[i] = new Linear(shapes[i].In, shapes[i].Out, Parameters, Gradients, offset);
            offset += layers[i].ParameterCount;
        }
        var n = hidden.Length;
        Encoder = layers[..n];
        Head = layers[n];
        Decoder = layers[(n + 1)..(2 * n + 1)];
        Output = layers[2 * n + 1];
    }

    public int Dimension { get; }
    public int Latent { get; }
    public Activation Activation { get; }
    public int Threads { get; }
    public DecoderLikelihood Likelihood { get; }

    public float[] Parameters { get; }   // [P] every layer's W then b, encoder → head → decoder → output
    public float[] Gradients { get; }    // [P] ∂objective/∂Parameters of the last backward pass

    public Linear[] Encoder { get; }     // n hidden layers, D → H_0 → … → H_(n−1)
    public Linear Head { get; }          // H_(n−1) (or D) → 2Z
    public Linear[] Decoder { get; }     // n hidden layers, Z → H_(n−1) → … → H_0
    public Linear Output { get; }        // H_0 (or Z) → D

    /// <summary>PyTorch's default initialisation, layer by layer in parameter order.</summary>
    public void Initialize(Xoshiro256StarStar rng)
    {
        foreach (var layer in Encoder) layer.Initialize(rng);
        Head.Initialize(rng);
        foreach (var layer in Decoder) layer.Initialize(rng);
        Output.Initialize(rng);
    }

    /// <summary>ws.X → ws.Stats.</summary>
    public void Encode(VaeWorkspace ws, int rows)
    {
        ReadOnlySpan<float> input = ws.X;
        for (var i = 0; i < Encoder.Length; i++)
        {
            HiddenForward(Encoder[i], input, ws.EncoderPre[i], ws.EncoderOut[i], rows, Threads);
            input = ws.EncoderOut[i];
        }
        Head.Forward(input, ws.Stats, rows, Threads);
    }

    /// <summary>ws.Stats, ws.Eps → ws.Z, ws.Kl.</summary>
    public void Reparameterize(VaeWorkspace ws, int rows) =>
        GaussianHead.Forward(ws.Stats, ws.Eps, ws.Z, ws.Kl, rows, Latent);

    /// <summary>ws.Z → ws.Logits.</summary>
    public void Decode(VaeWorkspace ws, int rows) => Decode(ws, rows, Threads);

    /// <summary>ws.Z → ws.Logits on <paramref name="threads"/> GEMM workers: 1 when the caller already runs one decode per core.</summary>
    public void Decode(VaeWorkspace ws, int rows, int threads)
    {
        ReadOnlySpan<float> input = ws.Z;
        for (var i = 0; i < Decoder.Length; i++)
        {
            HiddenForward(Decoder[i], input, ws.DecoderPre[i], ws.DecoderOut[i], rows, threads);
            input = ws.DecoderOut[i];
        }
        Output.Forward(input, ws.Logits, rows, threads);
    }

    /// <summary>The whole forward pass for ws.X and ws.Eps, up to the logits and the KL.</summary>
    public void Forward(VaeWorkspace ws, int rows)
    {
        Encode(ws, rows);
        Reparameterize(ws, rows);
        Decode(ws, rows);
    }

    /// <summary>ws.Recon = −log p(x|z) for each row, without gradients.</summary>
    public void Reconstruction(VaeWorkspace ws, int rows)
    {
        var d = Dimension;
        for (var r = 0; r < rows; r++)
            ws.Recon[r] = -Likelihood.LogProbability(ws.Logits.AsSpan(r * d, d), ws.X.AsSpan(r * d, d), ws.RowScratch);
    }

    /// <summary>ws.Recon as in <see cref="Reconstruction"/>, and ws.LogitsGrad = (1/rows)·∂recon/∂logits in the same pass.</summary>
    public void ReconstructionWithGradient(VaeWorkspace ws, int rows)
    {
        var d = Dimension;
        var scale = 1f / rows;
        for (var r = 0; r < rows; r++)
            ws.Recon[r] = -Likelihood.LogProbabilityAndGradient(
                ws.Logits.AsSpan(r * d, d), ws.X.AsSpan(r * d, d), ws.LogitsGrad.AsSpan(r * d, d), scale, ws.RowScratch);
    }

    /// <summary>
    /// Gradients = ∂/∂Parameters of mean_rows(recon + β·KL), from ws.LogitsGrad and the forward buffers.
    /// Overwrites every entry of <see cref="Gradients"/>.
    /// </summary>
    public void Backward(VaeWorkspace ws, int rows, double beta)
    {
        float[] current = ws.GradA, spare = ws.GradB;

        // Decoder, output side first. The last backward step of the decoder writes ∂/∂z.
        var n = Decoder.Length;
        Output.Backward(n > 0 ? ws.DecoderOut[n - 1] : ws.Z, ws.LogitsGrad, n > 0 ? current : ws.ZGrad, rows, Threads);
        for (var i = n - 1; i >= 0; i--)
        {
            HiddenBackward(Decoder[i], i > 0 ? ws.DecoderOut[i - 1] : ws.Z, ws.DecoderPre[i], ws.DecoderOut[i], current,
                i > 0 ? spare : ws.ZGrad, ws.ActivationScratch, rows);
            (current, spare) = (spare, current);
        }

        GaussianHead.Backward(ws.Stats, ws.Eps, ws.ZGrad, (float)(beta / rows), ws.StatsGrad, rows, Latent);

        // Encoder, head first. The input layer needs no ∂/∂x.
        n = Encoder.Length;
        Head.Backward(n > 0 ? ws.EncoderOut[n - 1] : ws.X, ws.StatsGrad, n > 0 ? current : Span<float>.Empty, rows, Threads);
        for (var i = n - 1; i >= 0; i--)
        {
            HiddenBackward(Encoder[i], i > 0 ? ws.EncoderOut[i - 1] : ws.X, ws.EncoderPre[i], ws.EncoderOut[i], current,
                i > 0 ? spare : Span<float>.Empty, ws.ActivationScratch, rows);
            (current, spare) = (spare, current);
        }
    }

    // A hidden layer's two halves. ReLU and the identity fuse bias and activation into the GEMM's epilogue and
    // leave `pre` untouched (ReLU′ is read off the output); tanh and softplus have no fused operator, so they keep
    // the pre-activation and the separate activation pass.

    /// <summary>output[rows,H] = act(input·Wᵀ + b); pre[rows,H] = input·Wᵀ + b when the activation needs it.</summary>
    private void HiddenForward(Linear layer, ReadOnlySpan<float> input, Span<float> pre, Span<float> output, int rows, int threads)
    {
        switch (Activation)
        {
            case Activation.Relu:
                layer.Forward<ReluOperator>(input, output, rows, threads);
                break;
            case Activation.Identity:
                layer.Forward<IdentityOperator>(input, output, rows, threads);
                break;
            default:
                layer.Forward(input, pre, rows, threads);
                var size = rows * layer.Out;
                ActivationLayer.Forward(Activation, pre[..size], output[..size]);
                break;
        }
    }

    /// <summary>
    /// From grad[rows,H] = ∂/∂output (overwritten with ∂/∂pre): the layer's parameter gradients, and
    /// dInput[rows,In] unless it is empty.
    /// </summary>
    private void HiddenBackward(Linear layer, ReadOnlySpan<float> input, ReadOnlySpan<float> pre, ReadOnlySpan<float> output,
        Span<float> grad, Span<float> dInput, Span<float> scratch, int rows)
    {
        if (Activation == Activation.Relu)
        {
            layer.BackwardRelu(input, output, grad, dInput, rows, Threads);
            return;
        }
        var size = rows * layer.Out;
        ActivationLayer.Backward(Activation, pre[..size], output[..size], grad[..size], scratch[..size]);
        layer.Backward(input, grad, dInput, rows, Threads);
    }
}
