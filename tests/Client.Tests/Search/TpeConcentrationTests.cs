using VaeSweep.Client.Search;
using Xunit.Abstractions;

namespace VaeSweep.Client.Tests.Search;

/// <summary>
/// The TPE finds the optimum of smooth functions with far fewer trials than random search. Random search's regret
/// has a closed form here: with the optimum inside the unit cube, the best squared distance r of N uniform points
/// satisfies P(r &gt; t) = (1 − V_d t^{d/2})^N, V_d the unit ball's volume, so its median is known exactly.
/// </summary>
public sealed class TpeConcentrationTests(ITestOutputHelper output)
{
    private const int Seeds = 30;

    private static double RandomMedianRegret(int dimensions, int trials)
    {
        var ballVolume = dimensions switch { 2 => Math.PI, 4 => Math.PI * Math.PI / 2, _ => throw new ArgumentException("d") };
        // (1 − V t^{d/2})^N = ½  ⇒  t = ((1 − 2^{−1/N}) / V)^{2/d}
        return Math.Pow((1 - Math.Pow(0.5, 1.0 / trials)) / ballVolume, 2.0 / dimensions);
    }

    private double MedianRegret(double[] optimum, int trials)
    {
        var space = optimum.Select(_ => (SearchDimension)new NumericDimension(0, 1)).ToArray();
        double Regret(double[] x) => x.Select((v, i) => (v - optimum[i]) * (v - optimum[i])).Sum();
        var regrets = Enumerable.Range(0, Seeds)
            .Select(seed => SequentialSearch.Run(space, x => -Regret(x), trials, startup: 10, seed).Max(o => o.Score.Value))
            .Select(best => -best)
            .ToArray();
        var median = SequentialSearch.Median(regrets);
        output.WriteLine($"d={optimum.Length} N={trials}: TPE median regret {median:G4}; random {RandomMedianRegret(optimum.Length, trials):G4}");
        return median;
    }

    [Fact]
    public void In_two_dimensions_40_trials_beat_what_random_search_needs_200_for()
    {
        var median = MedianRegret([0.73, 0.21], 40);
        Assert.True(median < RandomMedianRegret(2, 200), $"median regret {median} after 40 TPE trials, random needs 200 trials for {RandomMedianRegret(2, 200)}");
    }

    [Fact]
    public void In_four_dimensions_60_trials_beat_what_random_search_needs_300_for()
    {
        var median = MedianRegret([0.3, 0.8, 0.62, 0.17], 60);
        Assert.True(median < RandomMedianRegret(4, 300), $"median regret {median} after 60 TPE trials, random needs 300 trials for {RandomMedianRegret(4, 300)}");
    }
}
