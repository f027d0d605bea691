using VaeSweep.Client.Ranking;
using VaeSweep.Client.Store;
using VaeSweep.Model;
using VaeSweep.Model.Evaluation;
using static VaeSweep.Client.Tests.Ranking.RankingFixtures;

namespace VaeSweep.Client.Tests.Ranking;

public class ObjectiveTests
{
    /// <summary>A finished trial whose validation estimate has <paramref name="ll"/> on every example and the given statistics.</summary>
    internal static TrialResult WithStats(string id, int ordinal, double ll, int activeUnits, double rate, double distortion)
    {
        var estimate = Estimate([ll, ll + 1, ll - 1]) with
        {
            Latent = new LatentStatistics(0.01, activeUnits, [1, 0], [rate / 2, rate / 2], rate, distortion),
        };
        return Result(id, ordinal, estimate);
    }

    private static Objective Parse(params string[] clauses)
    {
        var errors = new List<string>();
        var objective = Objective.Parse(clauses, (i, m) => errors.Add($"{i}: {m}"));
        Assert.True(objective is not null, string.Join("\n", errors));
        return objective;
    }

    private static string ParseError(params string[] clauses)
    {
        var errors = new List<string>();
        Assert.Null(Objective.Parse(clauses, (i, m) => errors.Add($"{i}: {m}")));
        return Assert.Single(errors);
    }

    [Fact]
    public void Clauses_name_a_goal_with_its_own_or_a_given_direction_and_constraints()
    {
        Assert.Equal("heldout_ll max", Parse().ToString());
        Assert.Equal("rate min", Parse("rate").ToString());
        Assert.Equal("rate max", Parse("rate max").ToString());
        Assert.Equal("heldout_ll max, active_units >= 5", Parse("active_units >= 5").ToString());
        Assert.Equal("distortion min, active_units > 2, rate <= 30.5", Parse("distortion", "active_units>2", "rate <= 30.5").ToString());
        Assert.True(Parse().IsHeldoutLl);
        Assert.False(Parse("heldout_ll min").IsHeldoutLl);
    }

    [Fact]
    public void Bad_clauses_say_what_is_wrong()
    {
        Assert.StartsWith("0: unknown metric 'likelihood'; expected one of heldout_ll,", ParseError("likelihood"));
        Assert.Equal("1: a second goal ('rate' after 'heldout_ll'); only one metric is optimised, the others can be constraints",
            ParseError("heldout_ll", "rate"));
        Assert.Equal("0: direction 'up': expected max or min", ParseError("rate up"));
        Assert.StartsWith("0: 'rate >= many': expected", ParseError("rate >= many"));
        Assert.StartsWith("0: empty", ParseError(" "));
    }

    [Fact]
    public void Score_is_higher_for_better_trials_and_null_when_infeasible_or_unknown()
    {
        var collapsed = WithStats("c", 0, -90, activeUnits: 2, rate: 5, distortion: 85);
        var used = WithStats("u", 1, -95, activeUnits: 8, rate: 20, distortion: 75);
        var old = Result("o", 2, Estimate([-80, -81, -79]));   // stored before the statistics: no rate

        var rate = Parse("rate");
        Assert.Equal(-5, rate.Score(collapsed));
        Assert.Equal(-20, rate.Score(used));
        Assert.Null(rate.Score(old));

        var constrained = Parse("active_units >= 5");
        Assert.Null(constrained.Score(collapsed));
        Assert.Equal(used.Validation!.Mean, constrained.Score(used));
        Assert.Null(constrained.Score(old));   // an unknown count cannot be shown to meet the bound
        Assert.Equal(old.Validation!.Mean, Objective.Default.Score(old));
    }

    [Fact]
    public void Ranking_follows_the_objective_and_puts_infeasible_trials_after_feasible_ones()
    {
        var results = new[]
        {
            WithStats("collapsed", 0, -90, activeUnits: 2, rate: 5, distortion: 85),
            WithStats("used", 1, -95, activeUnits: 8, rate: 20, distortion: 75),
            WithStats("middle", 2, -92, activeUnits: 6, rate: 12, distortion: 80),
        };

        Assert.Equal(["collapsed", "middle", "used"], Ranker.Rank(results).Select(r => r.Trial));
        Assert.Equal(["used", "middle", "collapsed"],
            Ranker.Rank(results, new RankingOptions { Objective = Parse("distortion") }).Select(r => r.Trial));

        var rows = Ranker.Rank(results, new RankingOptions { Objective = Parse("active_units >= 5") });
        Assert.Equal(["middle", "used", "collapsed"], rows.Select(r => r.Trial));
        Assert.Equal([true, true, false], rows.Select(r => r.Feasible));
        Assert.Equal([1, 2, 3], rows.Select(r => r.Rank));

        // Another metric: the gap in its own units, no standard error and so no test.
        var byRate = Ranker.Rank(results, new RankingOptions { Objective = Parse("rate") });
        Assert.Equal(["collapsed", "middle", "used"], byRate.Select(r => r.Trial));
        Assert.Equal([0.0, 7.0, 15.0], byRate.Select(r => r.Diff!.Value));
        Assert.All(byRate.Skip(1), r => Assert.Null(r.DiffSe));
        Assert.All(byRate.Skip(1), r => Assert.Null(r.Distinguishable));
        Assert.Equal([5.0, 12.0, 20.0], byRate.Select(r => r.Objective!.Value));
    }

    [Fact]
    public void Rows_carry_the_statistics_and_the_gap_between_likelihood_and_elbo()
    {
        var row = Assert.Single(Ranker.Rank([WithStats("a", 0, -90, activeUnits: 3, rate: 10, distortion: 82)]));
        Assert.Equal((3, 10.0, 82.0), (row.ActiveUnits, row.Rate, row.Distortion));
        Assert.Equal(2.0, row.LlElboGap!.Value, 12);   // the fixture's ELBO is the mean − 2
        Assert.True(row.Pareto);
    }
}
