using VaeSweep.Client.Scheduling.Stopping;

namespace VaeSweep.Client.Tests.Scheduling.Stopping;

public sealed class MedianRuleTests
{
    [Fact]
    public void It_judges_every_epoch_from_grace_to_the_one_before_the_last()
    {
        Assert.Equal([2, 3, 4], new MedianRule(2).Rungs(5));
        Assert.Empty(new MedianRule(5).Rungs(5));
    }

    [Fact]
    public void A_trial_is_judged_by_its_best_so_far_against_the_median_of_running_means()
    {
        var rule = new MedianRule(1);
        double[] trial = [-10, -4, -7];
        Assert.Equal(-4.0, rule.Score(trial, 3));
        Assert.Equal(-10.0, rule.Score(trial, 1));
        double[] earlier = [-9, -6, -3];
        Assert.Equal(-7.5, rule.Reference(earlier, 2));
        Assert.Equal(-6.0, rule.Reference(earlier, 3));
    }

    [Fact]
    public void The_cutoff_is_the_median_odd_or_even()
    {
        var rule = new MedianRule(1);
        Assert.Equal(-5.0, rule.Cutoff(0, [-1.0, -9.0, -5.0]));
        Assert.Equal(-4.0, rule.Cutoff(0, [-1.0, -9.0, -5.0, -3.0]));
        Assert.Equal(double.NegativeInfinity, rule.Cutoff(0, [double.NaN, double.NaN, -1.0]));
    }
}
