namespace VaeSweep.Model;

/// <summary>
/// Every activation and activation-gradient buffer of one forward/backward pass, allocated once for up to
/// <see cref="Capacity"/> rows; a smaller batch uses the leading rows. Shapes use the legend in <see cref="Vae"/>.
/// </summary>
internal sealed class VaeWorkspace
{
    /// <param name="gradients">False for forward passes only (the estimator's): the gradient buffers, about 40% of the
    /// workspace, are then empty, and a backward pass must not be run on it.</param>
    public VaeWorkspace(Vae model, int capacity, bool gradients = true)
    {
        var b = capacity;
        int d = model.Dimension, z = model.Latent;
        Capacity = capacity;
        X = new float[b * d];
        EncoderPre = model.Encoder.Select(l => new float[b * l.Out]).ToArray();
        EncoderOut = model.Encoder.Select(l => new float[b * l.Out]).ToArray();
        Stats = new float[b * 2 * z];
        Eps = new float[b * z];
        Z = new float[b * z];
        DecoderPre = model.Decoder.Select(l => new float[b * l.Out]).ToArray();
        DecoderOut = model.Decoder.Select(l => new float[b * l.Out]).ToArray();
        Logits = new float[b * d];
        Recon = new double[b];
        Kl = new double[b];
        if (!gradients) b = 0;
        LogitsGrad = new float[b * d];
        var widest = model.Encoder.Select(l => l.Out).DefaultIfEmpty(0).Max();
        GradA = new float[b * widest];
        GradB = new float[b * widest];
        ActivationScratch = new float[b * widest];
        StatsGrad = new float[b * 2 * z];
        ZGrad = new float[b * z];
        RowScratch = new float[model.Likelihood.ScratchLength];
    }

    public int Capacity { get; }

    public float[] X { get; }                   // [B, D] pixels in [0, 1] (or {0, 1} when binarised)
    public float[][] EncoderPre { get; }        // [n][B, H_i] encoder hidden pre-activations, input side first
    public float[][] EncoderOut { get; }        // [n][B, H_i] encoder hidden activations
    public float[] Stats { get; }               // [B, 2Z] μ | log σ²
    public float[] Eps { get; }                 // [B, Z] ε ~ N(0, I)
    public float[] Z { get; }                   // [B, Z] z = μ + σ ⊙ ε
    public float[][] DecoderPre { get; }        // [n][B, H_(n−1−i)] decoder hidden pre-activations, latent side first
    public float[][] DecoderOut { get; }        // [n][B, H_(n−1−i)] decoder hidden activations
    public float[] Logits { get; }              // [B, D] decoder output
    public double[] Recon { get; }              // [B] −log p(x|z)
    public double[] Kl { get; }                 // [B] KL(q(z|x) ‖ p(z))

    public float[] LogitsGrad { get; }          // [B, D] ∂objective/∂logits
    public float[] GradA { get; }               // [B, max H] hidden-gradient ping-pong buffer
    public float[] GradB { get; }               // [B, max H] hidden-gradient ping-pong buffer
    public float[] ActivationScratch { get; }   // [B, max H] softplus derivative
    public float[] StatsGrad { get; }           // [B, 2Z] ∂objective/∂(μ | log σ²)
    public float[] ZGrad { get; }               // [B, Z] ∂objective/∂z
    public float[] RowScratch { get; }          // [2D] likelihood row scratch
}
