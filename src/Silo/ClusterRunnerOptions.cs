namespace VaeSweep.Silo;

/// <summary>How the client-side runner polls and places.</summary>
public sealed record ClusterRunnerOptions
{
    /// <summary>Between two looks at the membership and the silos' slots. Default 500 ms.</summary>
    public TimeSpan Poll { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// A placed trial that no live silo lists for this many complete looks in a row is taken as lost
    /// (its activation vanished without its silo). Default 6.
    /// </summary>
    public int LostAfterLooks { get; init; } = 6;

    public void Validate()
    {
        if (Poll <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(Poll), Poll, "poll: must be positive");
        if (LostAfterLooks < 1) throw new ArgumentOutOfRangeException(nameof(LostAfterLooks), LostAfterLooks, "lost_after_looks: must be at least 1");
    }
}
