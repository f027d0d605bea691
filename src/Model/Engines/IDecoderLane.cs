namespace VaeSweep.Model.Engines;

/// <summary>One thread's decoder in an estimate: scores a chunk of latent samples against one example.</summary>
internal interface IDecoderLane
{
    /// <summary>Rows <see cref="Latents"/> holds.</summary>
    int Capacity { get; }

    /// <summary>[C, Z] the chunk's z, written by the sampler.</summary>
    float[] Latents { get; }

    /// <summary>result[k] = log p(x | z_k) for the first <paramref name="count"/> rows of <see cref="Latents"/>, float terms summed in double.</summary>
    void LogLikelihoods(int count, ReadOnlySpan<float> x, Span<double> result);
}
