using MathNet.Numerics.Distributions;
using VaeSweep.Client.Search;

namespace VaeSweep.Client.Tests.Search;

public sealed class TruncatedNormalTests
{
    [Theory]
    [InlineData(-1.0, 2.0)]
    [InlineData(-30.0, 0.5)]
    [InlineData(0.25, 0.75)]
    public void Log_mass_is_the_normal_cdf_difference(double a, double b) =>
        Assert.Equal(Math.Log(Normal.CDF(0, 1, b) - Normal.CDF(0, 1, a)), TruncatedNormal.LogMass(a, b), 10);

    [Fact]
    public void Far_tails_keep_accurate_masses_instead_of_cancelling_to_zero()
    {
        // Mills' ratio: Q(z) ≈ φ(z)/z (1 − 1/z² + 3/z⁴) for large z; the upper cut is negligible.
        const double z = 20;
        var mills = -0.5 * z * z - 0.5 * Math.Log(2 * Math.PI) - Math.Log(z) + Math.Log(1 - 1 / (z * z) + 3 / Math.Pow(z, 4));
        Assert.Equal(mills, TruncatedNormal.LogMass(z, 60), 5);
        Assert.Equal(mills, TruncatedNormal.LogMass(-60, -z), 5);
        // Beyond what a double holds, still finite and decreasing.
        Assert.True(double.IsFinite(TruncatedNormal.LogMass(50, 50.5)));
        Assert.True(TruncatedNormal.LogMass(60, 60.5) < TruncatedNormal.LogMass(50, 50.5));
    }

    [Fact]
    public void Sampling_inverts_the_truncated_cdf()
    {
        const double mu = 0.3, sigma = 0.4, low = 0, high = 1;
        var zLow = Normal.CDF(mu, sigma, low);
        var mass = Normal.CDF(mu, sigma, high) - zLow;
        foreach (var u in new[] { 0.0, 0.001, 0.25, 0.5, 0.9, 0.999999 })
        {
            var x = TruncatedNormal.Sample(u, mu, sigma, low, high);
            Assert.InRange(x, low, high);
            Assert.Equal(u, (Normal.CDF(mu, sigma, x) - zLow) / mass, 9);
        }
    }

    [Fact]
    public void The_truncated_density_integrates_to_one_on_its_interval()
    {
        const double mu = 0.9, sigma = 0.3, low = -1, high = 1;
        const int steps = 100_000;
        var h = (high - low) / steps;
        var total = Enumerable.Range(0, steps).Sum(i => Math.Exp(TruncatedNormal.LogPdf(low + (i + 0.5) * h, mu, sigma, low, high)) * h);
        Assert.Equal(1.0, total, 7);
    }
}
