using VaeSweep.Model.Layers;
using VaeSweep.Model.Randomness;
using VaeSweep.Model.Tests.TestSupport;
using static VaeSweep.Model.Tests.TestSupport.TensorAssert;

namespace VaeSweep.Model.Tests.Layers;

public class GaussianHeadTests
{
    private const int Rows = 3, Z = 4;

    private static (float[] Stats, float[] Eps) Inputs()
    {
        var rng = Xoshiro256StarStar.FromSeed(31);
        var stats = Enumerable.Range(0, Rows * 2 * Z).Select(_ => (float)rng.NextGaussian()).ToArray();
        var eps = Enumerable.Range(0, Rows * Z).Select(_ => (float)rng.NextGaussian()).ToArray();
        return (stats, eps);
    }

    /// <summary>Σ_r [Σ_j u_rj z_rj + w·KL_r] in double: u is the upstream ∂/∂z, w the KL weight.</summary>
    private static double Loss(double[] stats, double[] eps, double[] u, double w)
    {
        var total = 0.0;
        for (var r = 0; r < Rows; r++)
        {
            var mu = stats.AsSpan(r * 2 * Z, Z);
            var logVar = stats.AsSpan(r * 2 * Z + Z, Z);
            for (var j = 0; j < Z; j++) total += u[r * Z + j] * (mu[j] + Math.Exp(0.5 * logVar[j]) * eps[r * Z + j]);
            total += w * Reference.Kl(mu, logVar);
        }
        return total;
    }

    [Fact]
    public void Forward_gives_the_reparameterised_sample_and_closed_form_kl()
    {
        var (stats, eps) = Inputs();
        var z = new float[Rows * Z];
        var kl = new double[Rows];
        GaussianHead.Forward(stats, eps, z, kl, Rows, Z);
        var expectedZ = new double[Rows * Z];
        var expectedKl = new double[Rows];
        for (var r = 0; r < Rows; r++)
        {
            var mu = Reference.ToDouble(stats.AsSpan(r * 2 * Z, Z));
            var logVar = Reference.ToDouble(stats.AsSpan(r * 2 * Z + Z, Z));
            for (var j = 0; j < Z; j++) expectedZ[r * Z + j] = mu[j] + Math.Exp(0.5 * logVar[j]) * eps[r * Z + j];
            expectedKl[r] = Reference.Kl(mu, logVar);
        }
        CheckTensor(z, expectedZ, "z", 1e-5);
        CheckTensor(kl, expectedKl, "KL", 1e-6);
    }

    [Theory]
    [InlineData(1.0, false)]   // the KL alone
    [InlineData(0.0, true)]    // the reparameterisation path alone
    [InlineData(0.3, true)]    // both, as in training with β/B
    public void Backward_matches_finite_differences(double klWeight, bool upstream)
    {
        var (stats, eps) = Inputs();
        var z = new float[Rows * Z];
        GaussianHead.Forward(stats, eps, z, new double[Rows], Rows, Z);
        var rng = Xoshiro256StarStar.FromSeed(32);
        var u = Enumerable.Range(0, Rows * Z).Select(_ => upstream ? (float)rng.NextGaussian() : 0f).ToArray();
        var dstats = new float[Rows * 2 * Z];
        GaussianHead.Backward(stats, eps, u, (float)klWeight, dstats, Rows, Z);

        var s = Reference.ToDouble(stats);
        var e = Reference.ToDouble(eps);
        var ud = Reference.ToDouble(u);
        CheckTensor(dstats, FiniteDifference.Gradient(s, () => Loss(s, e, ud, klWeight)), $"dstats w={klWeight}", 1e-4);
    }

    [Fact]
    public void Closed_form_kl_agrees_with_a_monte_carlo_estimate()
    {
        // KL(q‖p) = E_q[log q(z) − log p(z)]; 200 000 draws put the estimate within a few hundredths.
        double[] mu = [0.5, -1.2, 2.0], logVar = [-1.0, 0.7, -2.5];
        var stats = mu.Concat(logVar).Select(v => (float)v).ToArray();
        var closed = GaussianHead.Kl(stats, 3);
        Assert.Equal(Reference.Kl(mu, logVar), closed, 1e-6);

        var rng = Xoshiro256StarStar.FromSeed(33);
        const int draws = 200_000;
        double sum = 0, sumSq = 0;
        for (var n = 0; n < draws; n++)
        {
            var term = 0.0;
            for (var j = 0; j < 3; j++)
            {
                var eps = rng.NextGaussian();
                var zj = mu[j] + Math.Exp(0.5 * logVar[j]) * eps;
                term += -0.5 * (logVar[j] + eps * eps) + 0.5 * zj * zj;   // log q − log p; the 2π terms cancel
            }
            sum += term;
            sumSq += term * term;
        }
        var mean = sum / draws;
        var standardError = Math.Sqrt((sumSq / draws - mean * mean) / draws);
        Assert.InRange(closed, mean - 4 * standardError, mean + 4 * standardError);
    }
}
