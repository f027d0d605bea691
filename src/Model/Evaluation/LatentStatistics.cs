namespace VaeSweep.Model.Evaluation;

/// <summary>
/// What the latent space of a trained VAE is used for, measured on the examples of a held-out estimate
/// (Burda et al. 2015; Alemi et al. 2018). Carried on <see cref="LogLikelihoodEstimate.Latent"/>.
/// </summary>
/// <param name="ActiveThreshold">A unit u is active when <see cref="Activity"/>[u] exceeds this (0.01 in Burda et al.).</param>
/// <param name="ActiveUnits">How many units are active; never more than the latent size.</param>
/// <param name="Activity">Per unit, A_u = Cov_x(E_q[z_u | x]): the variance over the examples of the encoder mean.</param>
/// <param name="KlPerDimension">Per unit, the mean over the examples of KL(q(z_u|x) ‖ N(0, 1)), in nats.</param>
/// <param name="Rate">Mean KL(q(z|x) ‖ p(z)) over the examples: the sum of <see cref="KlPerDimension"/>.</param>
/// <param name="Distortion">Mean over the examples (and their K samples z ~ q(z|x)) of −log p(x|z), in nats.</param>
public sealed record LatentStatistics(
    double ActiveThreshold,
    int ActiveUnits,
    double[] Activity,
    double[] KlPerDimension,
    double Rate,
    double Distortion)
{
    /// <summary>Burda et al. (2015)'s threshold on Cov_x(E_q[z_u | x]).</summary>
    public const double DefaultThreshold = 0.01;

    /// <summary>The latent size L the statistics were taken over.</summary>
    public int LatentSize => KlPerDimension.Length;

    /// <summary>
    /// The statistics of <paramref name="examples"/> encoded rows. Both engines call this once per estimate with
    /// what their estimator already has, so they agree by construction.
    /// </summary>
    /// <param name="stats">[n, 2L] encoder outputs, row-major: L means, then L log-variances, per example.</param>
    /// <param name="distortion">[n] −log p(x|z) of each example, averaged over its K samples.</param>
    /// <remarks>Sums in double, in example order; the activity is the population variance (divide by n), as Burda et al.</remarks>
    public static LatentStatistics Compute(ReadOnlySpan<float> stats, int latent, ReadOnlySpan<double> distortion, double threshold)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(latent, 1);
        var n = distortion.Length;
        if (stats.Length != n * 2 * latent)
            throw new ArgumentException($"latent statistics: {stats.Length} encoder values for {n} examples of latent size {latent}", nameof(stats));
        if (!(threshold >= 0) || double.IsInfinity(threshold))
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "latent statistics: the activity threshold must be a finite number, 0 or more");

        var meanOfMeans = new double[latent];
        var kl = new double[latent];
        for (var e = 0; e < n; e++)
        {
            var row = stats.Slice(e * 2 * latent, 2 * latent);
            for (var u = 0; u < latent; u++)
            {
                double mu = row[u], logVariance = row[latent + u];
                meanOfMeans[u] += mu;
                kl[u] += 0.5 * (mu * mu + Math.Exp(logVariance) - 1 - logVariance);
            }
        }
        var activity = new double[latent];
        for (var u = 0; u < latent; u++) meanOfMeans[u] = n > 0 ? meanOfMeans[u] / n : double.NaN;
        // Two passes: the spread of the means can be tiny next to the means themselves.
        for (var e = 0; e < n; e++)
            for (var u = 0; u < latent; u++)
            {
                var deviation = stats[e * 2 * latent + u] - meanOfMeans[u];
                activity[u] += deviation * deviation;
            }
        var active = 0;
        var rate = 0.0;
        for (var u = 0; u < latent; u++)
        {
            activity[u] = n > 0 ? activity[u] / n : double.NaN;
            kl[u] = n > 0 ? kl[u] / n : double.NaN;
            rate += kl[u];
            if (activity[u] > threshold) active++;
        }
        var distortionSum = 0.0;
        foreach (var d in distortion) distortionSum += d;
        return new LatentStatistics(threshold, active, activity, kl, rate, n > 0 ? distortionSum / n : double.NaN);
    }
}
