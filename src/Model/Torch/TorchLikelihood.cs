using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace VaeSweep.Model.Torch;

/// <summary>
/// −log p(x|z) per row from decoder logits, as tensors, with the native engine's formulas: Gaussian
/// N(x; sigmoid(l), σ²I) (or mean l with <c>output: identity</c> or the pPCA oracle's linear mean), Bernoulli(sigmoid(l)) via softplus.
/// </summary>
internal sealed class TorchLikelihood(TrialConfig config, EngineOptions options, int dimension)
{
    private readonly bool _linearMean = options.LinearGaussianMean || config.Output == Output.Identity;
    private readonly double _inverseVariance = 1 / (config.Sigma * config.Sigma);
    private readonly double _logNormaliser = -0.5 * dimension * Math.Log(2 * Math.PI * config.Sigma * config.Sigma);

    /// <summary>recon[B] = −log p(x_b|z_b) in the logits' type, differentiable.</summary>
    public Tensor NegativeLogProbability(Tensor logits, Tensor x) => config.Likelihood == Likelihood.Bernoulli
        ? F.binary_cross_entropy_with_logits(logits, x.expand_as(logits), reduction: nn.Reduction.None).sum(1)
        : Residual(logits, x).square().sum(1).mul(0.5 * _inverseVariance).sub(_logNormaliser);

    /// <summary>
    /// log p(x|z_b)[B] with float terms summed in float64, for the held-out estimate; x may be one row broadcast over
    /// the samples. Consumes <paramref name="logits"/> (overwritten in place: the estimate's largest buffer is not copied).
    /// </summary>
    public Tensor LogProbabilityInDouble(Tensor logits, Tensor x)
    {
        if (config.Likelihood == Likelihood.Bernoulli)
        {
            // x·l − softplus(l), softplus(l) = max(l, 0) + log1p(e^−|l|).
            using var softplus = F.softplus(logits);
            return logits.mul_(x).sub_(softplus).sum(1, type: ScalarType.Float64);
        }
        var residual = _linearMean ? logits.sub_(x) : logits.sigmoid_().sub_(x);
        return residual.mul_(residual).sum(1, type: ScalarType.Float64).mul(-0.5 * _inverseVariance).add(_logNormaliser);
    }

    private Tensor Residual(Tensor logits, Tensor x) =>
        (_linearMean ? logits : logits.sigmoid()).sub(x);
}
