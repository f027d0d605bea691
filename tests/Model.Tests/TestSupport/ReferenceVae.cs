namespace VaeSweep.Model.Tests.TestSupport;

/// <summary>
/// The whole VAE objective in double over a copy of the engine's flat parameter vector (same layout, read
/// through the engine's layer offsets), so ∂objective/∂θ can be taken by finite differences.
/// </summary>
internal sealed class ReferenceVae(Vae model, TrialConfig config, bool linearMean = false)
{
    /// <summary>mean over rows of recon + β·KL, for x[rows,D] and ε[rows,Z].</summary>
    public double Objective(double[] parameters, double[] x, double[] eps, int rows)
    {
        var (recon, kl) = Terms(parameters, x, eps, rows);
        var total = 0.0;
        for (var r = 0; r < rows; r++) total += recon[r] + config.Beta * kl[r];
        return total / rows;
    }

    /// <summary>Per-row recon = −log p(x|z) and KL.</summary>
    public (double[] Recon, double[] Kl) Terms(double[] parameters, double[] x, double[] eps, int rows)
    {
        int d = model.Dimension, z = model.Latent;
        var h = x;
        foreach (var layer in model.Encoder) h = Activate(Apply(layer, parameters, h, rows));
        var stats = Apply(model.Head, parameters, h, rows);
        var latent = new double[rows * z];
        var kl = new double[rows];
        for (var r = 0; r < rows; r++)
        {
            var mu = stats.AsSpan(r * 2 * z, z);
            var logVar = stats.AsSpan(r * 2 * z + z, z);
            for (var j = 0; j < z; j++) latent[r * z + j] = mu[j] + Math.Exp(0.5 * logVar[j]) * eps[r * z + j];
            kl[r] = Reference.Kl(mu, logVar);
        }
        h = latent;
        foreach (var layer in model.Decoder) h = Activate(Apply(layer, parameters, h, rows));
        var logits = Apply(model.Output, parameters, h, rows);
        var recon = new double[rows];
        for (var r = 0; r < rows; r++)
        {
            var l = logits.AsSpan(r * d, d);
            var xr = x.AsSpan(r * d, d);
            recon[r] = -(config.Likelihood == Likelihood.Gaussian
                ? Reference.GaussianLogLikelihood(l, xr, config.Sigma, linearMean)
                : Reference.BernoulliLogLikelihood(l, xr));
        }
        return (recon, kl);
    }

    private static double[] Apply(VaeSweep.Model.Layers.Linear layer, double[] parameters, double[] x, int rows)
    {
        var w = parameters.AsSpan(layer.Offset, layer.Out * layer.In).ToArray();
        var b = parameters.AsSpan(layer.Offset + layer.Out * layer.In, layer.Out).ToArray();
        return Reference.Linear(x, w, b, rows, layer.In, layer.Out);
    }

    private double[] Activate(double[] values) => values.Select(v => Reference.Activate(config.Activation, v)).ToArray();
}
