namespace VaeSweep.Client.Progress;

/// <summary>
/// Time left in a sweep, from measured rates: seconds per epoch (each epoch timed on its own slot, from the trial's
/// previous event), seconds a trial spends after its last epoch (the held-out estimate), and how many trials run side
/// by side. Every new measurement moves the estimated finish time part of the way toward the new projection, so
/// the remaining time counts down with the clock between measurements and never jumps (0:26 → 0:15 → 0:30).
/// Not thread-safe: <see cref="SweepProgress"/> holds it under its lock.
/// </summary>
public sealed class EtaEstimate(TimeProvider time)
{
    /// <summary>Weight of a new measurement in the running averages and in the finish time.</summary>
    public const double Smoothing = 0.3;

    private double? secondsPerEpoch;
    private double? secondsPerEstimate;
    private long? finishAt;
    private int parallel = 1;

    /// <summary>An epoch took <paramref name="seconds"/> on its slot.</summary>
    public void Epoch(double seconds) => secondsPerEpoch = Blend(secondsPerEpoch, seconds);

    /// <summary>A trial's time from its last epoch to its end (the held-out estimate).</summary>
    public void Estimate(double seconds) => secondsPerEstimate = Blend(secondsPerEstimate, seconds);

    /// <summary>How many trials ran at once when the last measurement came: the work divides over them.</summary>
    public void Running(int count) => parallel = Math.Max(parallel, Math.Max(1, count));

    /// <summary>Projects the finish from the work left and moves the estimate toward it.</summary>
    public void Project(int epochsLeft, int trialsLeft)
    {
        if (secondsPerEpoch is not { } epoch) return;
        // Until a trial has ended, its estimate is taken to cost what an epoch does: an underestimate at worst.
        var work = epochsLeft * epoch + trialsLeft * (secondsPerEstimate ?? epoch);
        var projected = time.GetTimestamp() + (long)(work / parallel * time.TimestampFrequency);
        finishAt = finishAt is { } f ? f + (long)(Smoothing * (projected - f)) : projected;
    }

    /// <summary>Time left now (never negative), or null before the first epoch is measured.</summary>
    public TimeSpan? Left()
    {
        if (finishAt is not { } f) return null;
        var ticks = f - time.GetTimestamp();
        return ticks <= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds((double)ticks / time.TimestampFrequency);
    }

    private static double Blend(double? average, double sample) => average is { } a ? a + Smoothing * (sample - a) : sample;
}
