using VaeSweep.Client.Search;
using VaeSweep.Client.Spec.Expansion;
using Xunit.Abstractions;

namespace VaeSweep.Client.Tests.Search;

public sealed class TpeCoreTests(ITestOutputHelper output)
{
    private static readonly SearchDimension[] Square = [new NumericDimension(0, 1), new NumericDimension(0, 1)];

    private static double Bowl(double[] x) => -((x[0] - 0.73) * (x[0] - 0.73) + (x[1] - 0.21) * (x[1] - 0.21));

    private static List<ScoredPoint> RandomResults(int count, int seed)
    {
        var rng = new SplitMix64(seed);
        return Enumerable.Range(0, count).Select(_ => SequentialSearch.RandomPoint(Square, rng)).Select(p => new ScoredPoint(p, Bowl(p))).ToList();
    }

    private static double[] Propose(IReadOnlyList<ScoredPoint> completed, IReadOnlyList<double[]> pending, int stream) =>
        TpeCore.Propose(Square, completed, pending, TpeProposer.StreamFor(1, stream), TpeSettings.Default, _ => false)!;

    [Fact]
    public void The_same_inputs_and_stream_give_the_same_proposal_and_another_stream_another()
    {
        var completed = RandomResults(20, 5);
        double[][] pending = [[0.5, 0.5]];

        Assert.Equal(Propose(completed, pending, 11), Propose(completed, pending, 11));
        Assert.NotEqual(Propose(completed, pending, 11), Propose(completed, pending, 12));
    }

    [Fact]
    public void The_good_group_is_the_best_tenth_rounded_up_capped_at_25_with_failures_last_and_pending_bad()
    {
        var settings = TpeSettings.Default;
        Assert.Equal([0, 1, 1, 2, 3, 10, 25, 25], new[] { 0, 1, 10, 11, 21, 100, 250, 1000 }.Select(settings.GoodCount));

        // 12 trials: γ = 2. The best two are trials 7 and 3; a NaN (diverged) and −∞ (failed) never make it.
        var completed = Enumerable.Range(0, 12)
            .Select(i => new ScoredPoint([i], i switch { 7 => -1, 3 => -2, 5 => double.NaN, 9 => double.NegativeInfinity, _ => -10 - i }))
            .ToList();
        var (good, bad) = TpeCore.Split(completed, [[100.0]], settings);

        Assert.Equal([3.0, 7.0], good.Select(p => p[0]));                          // trial order, not rank order
        Assert.Equal([0.0, 1, 2, 4, 5, 6, 8, 9, 10, 11, 100], bad.Select(p => p[0])); // pending last
    }

    [Fact]
    public void Finished_trials_rank_above_pruned_ones_and_pruned_ones_by_depth_then_value_as_in_optuna()
    {
        // 21 trials: γ = 3. A pruned trial's rung ELBO (-5, -6) is above every finished held-out LL, yet it is not on
        // the objective's scale: it never beats a finished trial. Among pruned trials the deeper one wins.
        var completed = Enumerable.Range(0, 21).Select(i => new ScoredPoint([i], i switch
        {
            4 => SearchScore.Pruned(1, -5),
            6 => SearchScore.Pruned(2, -6),
            8 => SearchScore.Pruned(2, -7),
            10 => SearchScore.Bad,
            12 or 13 => -100 - i,
            _ => SearchScore.Pruned(1, -50 - i),
        })).ToList();
        var (good, _) = TpeCore.Split(completed, [], TpeSettings.Default);
        Assert.Equal([6.0, 12, 13], good.Select(p => p[0]));

        Assert.True(SearchScore.Finished(-1e9) > SearchScore.Pruned(9, 0));
        Assert.True(SearchScore.Pruned(2, -1e9) > SearchScore.Pruned(1, 0));
        Assert.True(SearchScore.Pruned(1, double.NaN) > SearchScore.Bad);
        Assert.Equal(SearchScore.Bad, SearchScore.Finished(double.PositiveInfinity));
    }

    [Fact]
    public void Ties_go_to_the_older_trial()
    {
        var completed = Enumerable.Range(0, 5).Select(i => new ScoredPoint([i], i == 0 ? -5 : -1)).ToList();
        var (good, _) = TpeCore.Split(completed, [], TpeSettings.Default);
        Assert.Equal([1.0], good.Select(p => p[0]));
    }

    [Fact]
    public void Recency_weights_are_optunas_ramp()
    {
        var settings = TpeSettings.Default;
        Assert.Equal(Enumerable.Repeat(1.0, 24), settings.RecencyWeights(24));
        Assert.Equal(Enumerable.Repeat(1.0, 25), settings.RecencyWeights(25));
        Assert.Equal([1.0 / 26], settings.RecencyWeights(26).Take(1));
        var w = settings.RecencyWeights(30); // linspace(1/30, 1, 5) then 25 ones
        Assert.Equal([1 / 30.0, 1 / 30.0 + 0.25 * 29 / 30, 1 / 30.0 + 0.5 * 29 / 30, 1 / 30.0 + 0.75 * 29 / 30, 1.0], w.Take(5).ToArray(), (a, b) => Math.Abs(a - b) < 1e-12);
        Assert.All(w.Skip(5), x => Assert.Equal(1.0, x));
    }

    [Fact]
    public void Pending_trials_push_parallel_proposals_away_from_them()
    {
        // Where the model wants to go next, taken three times: what parallel slots would all propose.
        var distancesWithout = new List<double>();
        var distancesWith = new List<double>();
        for (var seed = 0; seed < 40; seed++)
        {
            var completed = RandomResults(16, seed);
            var pending = Enumerable.Range(1000, 3).Select(s => Propose(completed, [], s)).ToArray();
            double Nearest(double[] p) => pending.Min(q => Math.Sqrt((p[0] - q[0]) * (p[0] - q[0]) + (p[1] - q[1]) * (p[1] - q[1])));
            distancesWithout.Add(Nearest(Propose(completed, [], seed)));
            distancesWith.Add(Nearest(Propose(completed, pending, seed)));
        }
        var without = SequentialSearch.Median(distancesWithout);
        var with = SequentialSearch.Median(distancesWith);
        output.WriteLine($"median distance to the nearest pending point: {without:G3} without the liar, {with:G3} with it");
        Assert.True(with > 2 * without, $"with pending trials the proposals stay {with:G3} from them, without {without:G3}");
    }

    [Fact]
    public void Integer_and_categorical_axes_give_valid_values_and_find_the_best_ones()
    {
        // choice 3 of 5 is worth 4, the integer is best at 13 of 1..20, the log axis at its upper bound.
        SearchDimension[] space = [new CategoricalDimension(5), new NumericDimension(1, 20, integer: true), new NumericDimension(1e-4, 0.1, log: true)];
        double Objective(double[] x) => (x[0] == 3 ? 4 : 0) - Math.Abs(x[1] - 13) / 4 + Math.Log10(x[2]);

        var late = new List<double[]>();
        for (var seed = 0; seed < 20; seed++)
        {
            var trials = SequentialSearch.Run(space, Objective, trials: 40, startup: 10, seed);
            Assert.All(trials, t =>
            {
                Assert.True(t.Point[0] is 0 or 1 or 2 or 3 or 4, $"choice {t.Point[0]}");
                Assert.True(t.Point[1] == Math.Round(t.Point[1]) && t.Point[1] is >= 1 and <= 20, $"integer {t.Point[1]}");
                Assert.InRange(t.Point[2], 1e-4, 0.1);
            });
            late.AddRange(trials.Skip(30).Select(t => t.Point));
        }
        var bestChoice = late.Count(p => p[0] == 3) / (double)late.Count;
        var nearInteger = late.Count(p => Math.Abs(p[1] - 13) <= 2) / (double)late.Count;
        var highLog = late.Count(p => p[2] > 0.01) / (double)late.Count;
        output.WriteLine($"last 10 of 40: choice 3 in {bestChoice:P0}, integer within 2 of 13 in {nearInteger:P0}, log axis above 0.01 in {highLog:P0}");
        // Random search: 20%, 25% and 33%, give or take 3 points over these 200 draws.
        Assert.True(bestChoice > 0.45, $"choice 3 in {bestChoice:P0}");
        Assert.True(nearInteger > 0.5, $"integer near 13 in {nearInteger:P0}");
        Assert.True(highLog > 0.6, $"log axis high in {highLog:P0}");
    }

    [Fact]
    public void Tried_points_are_never_proposed_and_an_exhausted_space_gives_null()
    {
        SearchDimension[] space = [new CategoricalDimension(2), new NumericDimension(0, 1, integer: true)];
        var completed = new List<ScoredPoint> { new([0, 0], 1), new([1, 1], 0) };
        var tried = new HashSet<(double, double)> { (0, 0), (1, 1), (1, 0) };

        var point = TpeCore.Propose(space, completed, [[1, 0]], TpeProposer.StreamFor(0, 2), TpeSettings.Default, p => tried.Contains((p[0], p[1])));
        Assert.Equal([0.0, 1.0], point!);

        tried.Add((0, 1));
        Assert.Null(TpeCore.Propose(space, completed, [[1, 0]], TpeProposer.StreamFor(0, 2), TpeSettings.Default, p => tried.Contains((p[0], p[1]))));
    }
}
