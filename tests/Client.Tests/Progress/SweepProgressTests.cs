using VaeSweep.Client.Progress;
using VaeSweep.Grains.Contracts;
using VaeSweep.Model;

namespace VaeSweep.Client.Tests.Progress;

public sealed class SweepProgressTests
{
    /// <summary>A clock the test moves by hand.</summary>
    private sealed class ManualClock : TimeProvider
    {
        public long Ticks;
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
        public override long GetTimestamp() => Ticks;
        public void Advance(double seconds) => Ticks += (long)(seconds * TimeSpan.TicksPerSecond);
    }

    private static LogLikelihoodEstimate Estimate(string split) => new(split, 10, 1, -1, 0, -2, [-1]);

    [Fact]
    public void Counts_follow_the_trials_and_the_eta_comes_from_epochs_until_a_trial_ends()
    {
        var clock = new ManualClock();
        var p = new SweepProgress("s", total: 4, alreadyDone: 1, clock);
        p.PlanEpochs(6);
        Assert.Null(p.Read().Eta);

        p.Started("a", "a", "h", 0, 2);
        clock.Advance(10);
        p.Epoch("a", 1, -100);
        var s = p.Read();
        Assert.Equal(TimeSpan.FromSeconds(50), s.Eta); // 10 s per epoch, 5 epochs left
        Assert.Equal((1, 1, 2), (s.Finished, s.Running.Count, s.Waiting));
        Assert.Equal(-100, s.Running[0].Elbo);

        clock.Advance(10);
        p.Epoch("a", 2, -90);
        clock.Advance(20); // the held-out estimate takes as long as two epochs
        p.Ended("a", new TrialFinished("a", 1, Estimate("validation"), Estimate("test"), 40));

        s = p.Read();
        // One trial per 40 s, two left: the estimate's time is now counted.
        Assert.Equal(TimeSpan.FromSeconds(80), s.Eta);
        Assert.Equal((2, 0, 2), (s.Finished, s.Running.Count, s.Waiting));
    }

    [Fact]
    public void Failed_and_diverged_trials_are_counted_apart_and_a_released_one_waits_again()
    {
        var p = new SweepProgress("s", total: 3, alreadyDone: 0, new ManualClock());
        p.Started("a", "a", "h", 0, 1);
        p.Started("b", "b", "h", 0, 1);
        p.Started("c", "c", "h", 0, 1);
        p.Ended("a", new TrialFailed("a", 1, "boom"));
        p.Ended("b", new TrialDiverged("b", 1, 1, "NaN"));
        p.Released("c");

        var s = p.Read();
        Assert.Equal((0, 1, 1, 0, 1), (s.Finished, s.Failed, s.Diverged, s.Running.Count, s.Waiting));
        Assert.Contains("1 failed, 1 diverged", ProgressView.Summary(s));
    }
}
