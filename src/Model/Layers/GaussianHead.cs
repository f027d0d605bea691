using VaeSweep.Model.Kernels;

namespace VaeSweep.Model.Layers;

/// <summary>
/// The stochastic layer: splits the encoder output into μ and log σ², draws z = μ + exp(½ log σ²) ⊙ ε and
/// computes KL(q(z|x) ‖ N(0, I)) = ½ Σ (μ² + σ² − 1 − log σ²) per example. The μ and log σ² heads are
/// one Linear layer of width 2Z (same initialisation as two nn.Linear, one GEMM instead of two).
/// </summary>
internal static class GaussianHead
{
    // Rows are handed to LatentKernels one at a time because μ and log σ² interleave row by row in stats. σ is
    // recomputed in the backward pass rather than stored: Z exponentials per row are cheap next to the GEMMs.

    /// <param name="stats">[rows, 2Z]: μ in columns [0, Z), log σ² in [Z, 2Z).</param>
    /// <param name="eps">[rows, Z] standard normal noise.</param>
    /// <param name="z">[rows, Z] receives the sample.</param>
    /// <param name="kl">[rows] receives each example's KL, summed in double.</param>
    public static void Forward(ReadOnlySpan<float> stats, ReadOnlySpan<float> eps, Span<float> z, Span<double> kl, int rows, int latent)
    {
        for (var r = 0; r < rows; r++)
            kl[r] = LatentKernels.Reparameterize(stats.Slice(2 * latent * r, latent), stats.Slice(2 * latent * r + latent, latent),
                eps.Slice(latent * r, latent), z.Slice(latent * r, latent));
    }

    /// <summary>
    /// dstats[rows, 2Z] from dz[rows, Z] (the decoder's gradient, already scaled) plus <paramref name="klWeight"/>
    /// times the KL gradient: ∂/∂μ = dz + w·μ, ∂/∂log σ² = ½ dz ε σ + ½ w (σ² − 1).
    /// </summary>
    public static void Backward(ReadOnlySpan<float> stats, ReadOnlySpan<float> eps, ReadOnlySpan<float> dz,
        float klWeight, Span<float> dstats, int rows, int latent)
    {
        for (var r = 0; r < rows; r++)
            LatentKernels.ReparameterizeBackward(stats.Slice(2 * latent * r, latent), stats.Slice(2 * latent * r + latent, latent),
                eps.Slice(latent * r, latent), dz.Slice(latent * r, latent), klWeight,
                dstats.Slice(2 * latent * r, latent), dstats.Slice(2 * latent * r + latent, latent));
    }

    /// <summary>KL of one example's posterior from its [2Z] stats row, in double.</summary>
    public static double Kl(ReadOnlySpan<float> statsRow, int latent)
    {
        var sum = 0.0;
        for (var j = 0; j < latent; j++)
        {
            double mu = statsRow[j], logVar = statsRow[latent + j];
            sum += mu * mu + Math.Exp(logVar) - 1 - logVar;
        }
        return 0.5 * sum;
    }
}
