namespace VaeSweep.Client.Monitoring;

/// <summary>
/// What a trial is doing now, as <c>status</c> tells it: the stored status refined by whether anything is still at
/// work on it. The store records <c>running</c> when an attempt is handed out and keeps it if the client stops, so
/// "running" alone cannot tell a trial training now from one queued for a slot or one left behind by Ctrl-C.
/// </summary>
public enum TrialActivity
{
    /// <summary>Never started, and no client is running the sweep.</summary>
    Pending,

    /// <summary>A running client has it queued for a free slot (handed out, not yet started on a silo).</summary>
    Waiting,

    /// <summary>Training on a silo that was heard from recently.</summary>
    Running,

    /// <summary>Started, but its client or silo stopped; running the spec again resumes it from its last checkpoint.</summary>
    Interrupted,

    /// <summary>Stopped at an early-stopping rung, waiting for the trials before it.</summary>
    Paused,
    Finished,
    Pruned,
    Failed,
    Diverged,
    Cancelled,
}

public static class TrialActivityText
{
    public static string ToText(this TrialActivity activity) => activity.ToString().ToLowerInvariant();

    /// <summary>Whether the trial will train no more (whatever runs).</summary>
    public static bool IsEnded(this TrialActivity activity) =>
        activity is TrialActivity.Finished or TrialActivity.Pruned or TrialActivity.Failed or TrialActivity.Diverged or TrialActivity.Cancelled;
}
