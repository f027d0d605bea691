namespace VaeSweep.Silo;

/// <summary>How the client-side runner polls and places.</summary>
public sealed record ClusterRunnerOptions
{
    /// <summary>
    /// Between two looks at the membership and the silos' slots. Default 500 ms. Placement does not wait for it: work is
    /// placed as soon as it is submitted or a slot frees; the look only finds silos that joined or left.
    /// </summary>
    public TimeSpan Poll { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// A placed trial that no live silo lists for this many complete looks in a row is taken as lost
    /// (its activation vanished without its silo). Default 6.
    /// </summary>
    public int LostAfterLooks { get; init; } = 6;

    /// <summary>
    /// How long the cluster may have no live silo answering (all killed, or Redis restarted empty and none re-joined yet)
    /// while work waits, before <see cref="ClusterTrialRunner.Lost"/> ends the run. Default 60 s.
    /// </summary>
    public TimeSpan NoSiloTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public void Validate()
    {
        if (NoSiloTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(NoSiloTimeout), NoSiloTimeout, "--silo-wait: must be positive");
        if (Poll <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(Poll), Poll, "poll: must be positive");
        if (LostAfterLooks < 1) throw new ArgumentOutOfRangeException(nameof(LostAfterLooks), LostAfterLooks, "lost_after_looks: must be at least 1");
    }
}
