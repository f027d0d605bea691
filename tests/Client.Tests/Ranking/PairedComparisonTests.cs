using VaeSweep.Client.Ranking;
using VaeSweep.Model;
using static VaeSweep.Client.Tests.Ranking.RankingFixtures;

namespace VaeSweep.Client.Tests.Ranking;

public class PairedComparisonTests
{
    [Fact]
    public void PairingSeparatesTrialsWhoseSeparateErrorBarsOverlap()
    {
        var best = Estimate(Hardness);
        var worse = Estimate(SlightlyWorse);

        var c = PairedComparison.Compare(best, worse);

        Assert.True(c.Paired);
        Assert.Equal(1.1, c.Diff, 12);
        Assert.Equal(1.0 / 30.0, c.DiffSe, 12);
        Assert.True(c.IsDistinguishable(1.96));
        // The unpaired test on the same numbers cannot tell them apart.
        var unpairedSe = Math.Sqrt(best.StandardError * best.StandardError + worse.StandardError * worse.StandardError);
        Assert.True(unpairedSe > 12);
        Assert.False(c.Diff > 1.96 * unpairedSe);
    }

    [Fact]
    public void PairingCanAlsoShowAGapIsNoise()
    {
        var (b, o) = Disagreeing();
        var best = Estimate(b);
        var other = Estimate(o);

        var c = PairedComparison.Compare(best, other);

        Assert.True(c.Paired);
        Assert.Equal(1.0, c.Diff, 12);
        Assert.Equal(6.0 / Math.Sqrt(99), c.DiffSe, 12);
        Assert.False(c.IsDistinguishable(1.96));
        // Unpaired, the same gap looks significant.
        Assert.Equal(3.0 / Math.Sqrt(99), best.StandardError, 12);
        var unpairedSe = Math.Sqrt(2) * 3.0 / Math.Sqrt(99);
        Assert.True(c.Diff > 1.96 * unpairedSe);
    }

    [Fact]
    public void DifferentExamplesFallBackToUnpaired()
    {
        var best = new LogLikelihoodEstimate("validation", 100, 3, -90, 3, -95, [-89, -90, -91]);
        var other = new LogLikelihoodEstimate("validation", 100, 2, -100, 4, -105, [-99, -101]);

        var c = PairedComparison.Compare(best, other);

        Assert.False(c.Paired);
        Assert.Equal(10.0, c.Diff, 12);
        Assert.Equal(5.0, c.DiffSe, 12); // √(3² + 4²)
        Assert.True(c.IsDistinguishable(1.96));
        Assert.False(c.IsDistinguishable(2.5));
    }

    [Fact]
    public void TooFewOrMissingPerExampleValuesFallBackToUnpaired()
    {
        var one = new LogLikelihoodEstimate("validation", 100, 1, -90, 3, -95, [-90]);
        var none = new LogLikelihoodEstimate("validation", 100, 0, -92, 4, -95, []);
        Assert.False(PairedComparison.Compare(one, one with { Mean = -91 }).Paired);
        var c = PairedComparison.Compare(one, none);
        Assert.Equal((false, 2.0, 5.0), (c.Paired, c.Diff, c.DiffSe));
    }
}
