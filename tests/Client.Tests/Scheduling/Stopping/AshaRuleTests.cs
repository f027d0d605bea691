using VaeSweep.Client.Scheduling.Stopping;

namespace VaeSweep.Client.Tests.Scheduling.Stopping;

public sealed class AshaRuleTests
{
    [Theory]
    [InlineData(1, 3, 9, new[] { 1, 3 })]
    [InlineData(1, 3, 10, new[] { 1, 3, 9 })]
    [InlineData(2, 2, 16, new[] { 2, 4, 8 })]
    [InlineData(3, 4, 3, new int[0])]
    public void Rungs_are_grace_times_powers_of_the_reduction_below_the_last_epoch(int grace, int reduction, int epochs, int[] rungs)
    {
        Assert.Equal(rungs, new AshaRule(grace, reduction).Rungs(epochs));
    }

    [Fact]
    public void The_cutoff_keeps_the_top_floor_of_n_over_eta_and_at_least_one_counting_the_trial_itself()
    {
        // An oracle by counting: a trial continues iff fewer than max(1, ⌊n/η⌋) of the n scores beat it strictly.
        var random = new Random(7);
        foreach (var eta in new[] { 2, 3, 4 })
            for (var round = 0; round < 300; round++)
            {
                var references = Enumerable.Range(0, random.Next(1, 12)).Select(_ => (double)random.Next(-5, 6)).ToList();
                var score = (double)random.Next(-5, 6);
                var n = references.Count + 1;
                var better = references.Count(r => r > score);
                var oracle = better < Math.Max(1, n / eta);
                var rule = new AshaRule(1, eta);
                Assert.True(oracle == score >= rule.Cutoff(score, references),
                    $"eta {eta}, score {score}, references [{string.Join(", ", references)}]: oracle says continue = {oracle}");
            }
    }

    [Fact]
    public void A_non_finite_score_is_the_worst_and_never_the_cutoff_of_finite_ones()
    {
        var rule = new AshaRule(1, 2);
        Assert.Equal(-2.0, rule.Cutoff(double.NaN, [-1.0, -3.0, -2.0])); // top 2 of 4
        Assert.True(Scores.Orderable(double.NaN) < rule.Cutoff(double.NaN, [-1.0, -3.0, -2.0]));
        Assert.Equal(-2.0, rule.Cutoff(-1.0, [double.NaN, double.PositiveInfinity, -2.0])); // +inf is no score either
    }

    [Fact]
    public void Its_score_at_a_rung_is_the_metric_at_that_epoch()
    {
        var rule = new AshaRule(1, 3);
        double[] curve = [-9, -4, -6];
        Assert.Equal(-4.0, rule.Score(curve, 2));
        Assert.Equal(-6.0, rule.Reference(curve, 3));
    }
}
