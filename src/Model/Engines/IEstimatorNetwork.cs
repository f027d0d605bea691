namespace VaeSweep.Model.Engines;

/// <summary>
/// An engine's encoder and decoder as <see cref="Evaluation.ImportanceSampler"/> uses them: a group of examples is
/// encoded at once, then each example's K samples are decoded in chunks on one of the <see cref="Lanes"/>.
/// </summary>
internal interface IEstimatorNetwork : IDisposable
{
    /// <summary>[G, D] the group's pixels, loaded by the sampler.</summary>
    float[] GroupInput { get; }

    /// <summary>Encodes the first <paramref name="rows"/> rows of <see cref="GroupInput"/>; returns stats[G, 2Z] = μ | log σ² (first rows valid).</summary>
    float[] EncodeGroup(int rows);

    /// <summary>
    /// Decoders that may run at the same time, one per thread: the sampler hands out whole examples, so with several
    /// lanes the sampling and likelihood work runs in parallel too. An engine that parallelises inside its own kernels has one.
    /// </summary>
    IReadOnlyList<IDecoderLane> Lanes { get; }
}
