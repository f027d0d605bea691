using VaeSweep.Client.Ranking;
using static VaeSweep.Client.Tests.Ranking.ObjectiveTests;

namespace VaeSweep.Client.Tests.Ranking;

public class ParetoFrontTests
{
    private static readonly Direction[] BothMin = [Direction.Minimize, Direction.Minimize];

    [Fact]
    public void The_front_is_the_points_nothing_dominates()
    {
        double?[][] points =
        [
            [1, 10],   // front: least rate
            [2, 6],    // front
            [3, 6],    // dominated by [2, 6] (equal distortion, more rate)
            [4, 3],    // front
            [5, 5],    // dominated by [4, 3]
            [9, 1],    // front: least distortion
            [4, 3],    // a tie with a front point is on the front too
        ];
        Assert.Equal([true, true, false, true, false, true, true], ParetoFront.Members(points, BothMin));
    }

    [Fact]
    public void Directions_are_honoured_and_missing_values_are_never_on_the_front()
    {
        double?[][] points = [[1, 1], [2, 2], [null, 9], [double.NaN, 9], [0.5, 0.5]];
        Assert.Equal([false, true, false, false, false], ParetoFront.Members(points, [Direction.Maximize, Direction.Maximize]));
        Assert.Equal([false, false, false, false, true], ParetoFront.Members(points, BothMin));
        // More of the first, less of the second: each of the three trades one for the other.
        Assert.Equal([true, true, false, false, true], ParetoFront.Members(points, [Direction.Maximize, Direction.Minimize]));
    }

    [Fact]
    public void Against_a_brute_force_oracle_on_random_points()
    {
        var rng = new Random(7);
        for (var round = 0; round < 50; round++)
        {
            var points = Enumerable.Range(0, 30).Select(_ => new double?[] { rng.Next(10), rng.Next(10) }).ToArray();
            var members = ParetoFront.Members(points, BothMin);
            for (var i = 0; i < points.Length; i++)
            {
                var dominated = points.Any(q => q[0] <= points[i][0] && q[1] <= points[i][1] && (q[0] < points[i][0] || q[1] < points[i][1]));
                Assert.Equal(!dominated, members[i]);
            }
        }
    }

    [Fact]
    public void Trial_results_are_read_through_their_metrics()
    {
        var results = new[]
        {
            WithStats("low-rate", 0, -90, activeUnits: 2, rate: 5, distortion: 85),
            WithStats("low-distortion", 1, -95, activeUnits: 8, rate: 20, distortion: 75),
            WithStats("dominated", 2, -99, activeUnits: 6, rate: 21, distortion: 86),
        };
        Assert.Equal([true, true, false], ParetoFront.Members(results, ParetoFront.RateDistortion));
        var llAndUnits = ParetoFront.Parse("heldout_ll,active_units", out _)!;
        Assert.Equal([true, true, false], ParetoFront.Members(results, llAndUnits));
    }

    [Theory]
    [InlineData("rate", "expected two metrics as METRIC,METRIC (each optionally :max or :min), got 'rate'")]
    [InlineData("rate,speed", "unknown metric 'speed'; expected one of heldout_ll, heldout_elbo, ll_elbo_gap, rate, distortion, active_units, elbo, kl, recon, seconds")]
    [InlineData("rate:up,distortion", "'rate:up': a direction is :max or :min")]
    [InlineData("rate,rate:max", "the two metrics are the same ('rate')")]
    public void Bad_metric_pairs_say_what_is_wrong(string text, string message)
    {
        Assert.Null(ParetoFront.Parse(text, out var error));
        Assert.Equal(message, error);
    }

    [Fact]
    public void Directions_default_to_each_metrics_own()
    {
        var pair = ParetoFront.Parse("heldout_ll, rate:max", out var error)!;
        Assert.Null(error);
        Assert.Equal([("heldout_ll", Direction.Maximize), ("rate", Direction.Maximize)], pair.Select(p => (p.Metric.Name, p.Direction)));
    }
}
