namespace VaeSweep.Client.Monitoring;

/// <summary>How <c>status</c> and <c>sweeps</c> judge whether anything is still at work on a sweep.</summary>
public sealed record StatusOptions
{
    /// <summary>
    /// A silo not heard from for this long is gone (default 10 s). A running client records every silo it sees about
    /// once a second (<c>SchedulerOptions.Tick</c>), so ten missed heartbeats mean the client or the silo stopped.
    /// </summary>
    public TimeSpan StaleAfter { get; init; } = TimeSpan.FromSeconds(10);

    public void Validate()
    {
        if (StaleAfter <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(StaleAfter), StaleAfter, "stale after: must be positive");
    }
}
