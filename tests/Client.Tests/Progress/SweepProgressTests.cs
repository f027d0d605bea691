using VaeSweep.Client.Progress;
using VaeSweep.Contracts;
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
    public void Counts_follow_the_trials_and_the_eta_comes_from_measured_epoch_and_estimate_times()
    {
        var clock = new ManualClock();
        var p = new SweepProgress("s", total: 4, alreadyDone: 1, clock);
        p.PlanEpochs(6);
        Assert.Null(p.Read().Eta);

        p.Started("a", "a", "h", 0, 2);
        clock.Advance(10);
        p.Epoch("a", 1, -100);
        var s = p.Read();
        // 10 s per epoch, 5 epochs left, and 3 held-out estimates not yet timed, taken at an epoch's cost.
        Assert.Equal(TimeSpan.FromSeconds(80), s.Eta);
        Assert.Equal((1, 1, 2), (s.Finished, s.Running.Count, s.Waiting));
        Assert.Equal(-100, s.Running[0].Elbo);

        clock.Advance(10);
        p.Epoch("a", 2, -90);
        Assert.Equal(TimeSpan.FromSeconds(70), p.Read().Eta); // as projected: the same finish time
        clock.Advance(20); // the held-out estimate takes as long as two epochs
        p.Ended("a", new TrialFinished("a", 1, Estimate("validation"), Estimate("test"), 40));

        s = p.Read();
        // Now 4 epochs × 10 s + 2 estimates × 20 s = 80 s are projected (finish at 120 s); the estimate moves
        // 30% of the way from its 90 s toward that: 99 s, 59 s from now.
        Assert.Equal(TimeSpan.FromSeconds(59), s.Eta);
        Assert.Equal((2, 0, 2), (s.Finished, s.Running.Count, s.Waiting));
    }

    [Fact]
    public void The_eta_counts_down_with_the_clock_and_a_slow_epoch_moves_it_only_part_way()
    {
        var clock = new ManualClock();
        var p = new SweepProgress("s", total: 1, alreadyDone: 0, clock);
        p.PlanEpochs(20);
        p.Started("a", "a", "h", 0, 20);
        for (var e = 1; e <= 5; e++)
        {
            clock.Advance(10);
            p.Epoch("a", e, -1);
        }
        var steady = p.Read().Eta!.Value;
        Assert.Equal(TimeSpan.FromSeconds(16 * 10), steady); // 15 epochs and one estimate at 10 s each

        // Between epochs it counts down second by second, never jumping.
        clock.Advance(3);
        Assert.Equal(steady - TimeSpan.FromSeconds(3), p.Read().Eta);

        // One epoch four times slower: the mean epoch becomes 19 s and the raw projection jumps to 15 × 19 s = 285 s
        // (14 epochs and the estimate); the shown one moves
        // 30% of the way there from where it was.
        clock.Advance(37);
        p.Epoch("a", 6, -1);
        var before = steady - TimeSpan.FromSeconds(40);
        var projected = TimeSpan.FromSeconds(15 * (10 + 0.3 * 30));
        Assert.Equal((before + 0.3 * (projected - before)).TotalSeconds, p.Read().Eta!.Value.TotalSeconds, 6);
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
