namespace VaeSweep.Client.Scheduling;

/// <summary>How the client drives a sweep. Checked once, when the scheduler is made.</summary>
public sealed record SchedulerOptions
{
    /// <summary>
    /// Attempts that may end in an error before the trial is marked failed (default 3). Attempts a silo
    /// gave back (shutdown, lost silo) do not count: they say nothing about the trial.
    /// </summary>
    public int MaxFailures { get; init; } = 3;

    /// <summary>
    /// Ceiling on attempts of any kind (default 20), so a trial that takes down every silo it lands on
    /// cannot circulate forever.
    /// </summary>
    public int MaxAttempts { get; init; } = 20;

    /// <summary>How often the scheduler records silo heartbeats and looks for a cancel from another process (default 1 s).</summary>
    public TimeSpan Tick { get; init; } = TimeSpan.FromSeconds(1);

    public void Validate()
    {
        if (MaxFailures < 1) throw new ArgumentOutOfRangeException(nameof(MaxFailures), MaxFailures, "max failures: must be at least 1");
        if (MaxAttempts < MaxFailures) throw new ArgumentOutOfRangeException(nameof(MaxAttempts), MaxAttempts, "max attempts: must be at least max failures");
        if (Tick <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(Tick), Tick, "tick: must be positive");
    }
}
