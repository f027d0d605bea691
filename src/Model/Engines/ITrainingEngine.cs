using VaeSweep.Model.Randomness;

namespace VaeSweep.Model.Engines;

/// <summary>
/// What differs between the engines: the network's forward and backward passes and where its numbers live. Everything
/// else about a trial (data order, random draws, the epoch loop, divergence, validation, Adam, checkpoints and the
/// importance sampler) is <see cref="EngineTrainer"/>'s and <see cref="Evaluation.ImportanceSampler"/>'s, written once.
/// </summary>
/// <remarks>
/// A pass: the trainer loads up to <see cref="Capacity"/> rows into <see cref="Input"/> and their ε into
/// <see cref="Noise"/>, calls <see cref="Forward"/>, and after a training forward whose objective is finite,
/// <see cref="Backward"/>; it then steps Adam over <see cref="Parameters"/> with <see cref="Gradients"/>.
/// Shapes use the legend in <see cref="Vae"/>.
/// </remarks>
internal interface ITrainingEngine : IDisposable
{
    /// <summary>The numerics stamp of a run on this engine (<see cref="ITrainer.EngineDescriptor"/>).</summary>
    string Descriptor { get; }

    /// <summary>[P] every weight, in the engine's checkpoint order; Adam updates it in place.</summary>
    float[] Parameters { get; }

    /// <summary>[P] ∂(mean over rows of recon + β·KL)/∂Parameters after <see cref="Backward"/>.</summary>
    float[] Gradients { get; }

    /// <summary>Rows a pass can hold: the batch size.</summary>
    int Capacity { get; }

    /// <summary>[B, D] the pass's pixels.</summary>
    float[] Input { get; }

    /// <summary>[B, Z] the pass's ε ~ N(0, I).</summary>
    float[] Noise { get; }

    /// <summary>Draws the initial weights from <paramref name="rng"/> (PyTorch's default initialisation, native parameter order).</summary>
    void Initialize(Xoshiro256StarStar rng);

    /// <summary>
    /// Sums over the first <paramref name="rows"/> rows of recon = −log p(x|z) at z = μ + σ⊙ε and of the closed-form
    /// KL, each summed in double. With <paramref name="training"/> the pass keeps what <see cref="Backward"/> needs.
    /// </summary>
    (double Recon, double Kl) Forward(int rows, bool training);

    /// <summary><see cref="Gradients"/> of the last training <see cref="Forward"/>'s mean objective recon + β·KL.</summary>
    void Backward(int rows, double beta);

    /// <summary>The network half of an importance-sampling estimate, for groups of up to <paramref name="groupCapacity"/> examples and K = <paramref name="samples"/>.</summary>
    IEstimatorNetwork CreateEstimator(int groupCapacity, int samples);
}
