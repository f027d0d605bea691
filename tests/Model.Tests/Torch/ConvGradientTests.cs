using VaeSweep.Model.Randomness;
using VaeSweep.Model.Torch;
using static TorchSharp.torch;
using static VaeSweep.Model.Tests.TestSupport.TensorAssert;

namespace VaeSweep.Model.Tests.Torch;

/// <summary>
/// Central differences in float64 against libtorch's gradients through the conv encoder and decoder: the reshapes
/// between conv and linear layers, the μ | log σ² split, the reparameterisation, KL and the Gaussian likelihood, all
/// as the torch engine wires them. Tanh, since central differences straddle ReLU's kink.
/// </summary>
public class ConvGradientTests
{
    [Theory]
    [InlineData(Likelihood.Gaussian)]
    [InlineData(Likelihood.Bernoulli)]
    public void Conv_vae_gradients_match_central_differences(Likelihood likelihood)
    {
        const int Rows = 8, Columns = 8, B = 3, Z = 2;
        var config = new TrialConfig
        {
            Engine = Engine.Torch, Arch = Architecture.Conv, Latent = Z, Hidden = [5], Activation = Activation.Tanh,
            Likelihood = likelihood, Binarization = likelihood == Likelihood.Bernoulli ? Binarization.Static : Binarization.None, Sigma = 0.5,
        };
        using var network = new TorchNetwork(config, Rows, Columns, ScalarType.Float64, channels: (3, 4));
        network.Initialize(Xoshiro256StarStar.FromSeed(11));
        var likelihoodTerm = new TorchLikelihood(config, EngineOptions.Default, Rows * Columns);
        var random = new Random(4);
        var pixels = Enumerable.Range(0, B * Rows * Columns).Select(_ => likelihood == Likelihood.Bernoulli ? random.Next(2) : random.NextDouble()).ToArray();
        using var x = tensor(pixels, [B, Rows * Columns]);
        using var eps = tensor(Enumerable.Range(0, B * Z).Select(_ => random.NextDouble() * 2 - 1).ToArray(), [B, Z]);

        double Loss()
        {
            using var scope = NewDisposeScope();
            return Objective(network, likelihoodTerm, x, eps).item<double>();
        }

        Tensor[] gradients;
        using (var scope = NewDisposeScope())
        {
            gradients = [.. autograd.grad([Objective(network, likelihoodTerm, x, eps)], [.. network.Parameters]).Select(g => g.MoveToOuterDisposeScope())];
        }
        for (var p = 0; p < network.Parameters.Count; p++)
        {
            var parameter = network.Parameters[p];
            var n = (int)parameter.numel();
            var picks = Enumerable.Range(0, n).Where(i => n <= 12 || i % (n / 12) == 0).ToArray();
            var analytic = gradients[p].flatten().data<double>().ToArray();
            var numeric = new double[picks.Length];
            var flat = parameter.view(-1);
            for (var k = 0; k < picks.Length; k++)
            {
                const double h = 1e-6;
                using var _ = no_grad();
                var original = flat[picks[k]].item<double>();
                flat[picks[k]] = original + h;
                var up = Loss();
                flat[picks[k]] = original - h;
                var down = Loss();
                flat[picks[k]] = original;
                numeric[k] = (up - down) / (2 * h);
            }
            CheckTensor([.. picks.Select(i => analytic[i])], numeric, $"∂L/∂parameter {p} {string.Join('×', parameter.shape)}", 1e-5);
        }
        foreach (var g in gradients) g.Dispose();
    }

    private static Tensor Objective(TorchNetwork network, TorchLikelihood likelihood, Tensor x, Tensor eps)
    {
        var (recon, kl) = TorchEngine.Terms(network, likelihood, x, eps);
        return recon.add(kl).sum();
    }
}
