namespace VaeSweep.Client.Store;

/// <summary>
/// Where a trial is in its life. Pending → Running (an attempt begins) → Finished | Failed | Diverged;
/// a failed trial may be begun again; Pending/Running/Paused → Cancelled when its sweep is cancelled, and
/// Cancelled/Failed → Pending when the sweep is reopened. Under early stopping, Running → Paused at a rung,
/// then Paused → Running (continued) or Pruned. Finished and Pruned are final; Failed and Diverged → Pending
/// only when asked (run --retry-failed / --retry-diverged).
/// </summary>
public enum TrialStatus
{
    Pending,
    Running,

    /// <summary>Stopped at an early-stopping rung, its checkpoint stored, waiting for the decision there.</summary>
    Paused,
    Finished,

    /// <summary>Stopped early by the sweep's schedule; its curves end at the rung where it was pruned.</summary>
    Pruned,
    Failed,
    Diverged,
    Cancelled,
}

/// <summary>The lower-case words the database stores for <see cref="TrialStatus"/>.</summary>
public static class TrialStatusText
{
    public static string ToDb(this TrialStatus status) => status switch
    {
        TrialStatus.Pending => "pending",
        TrialStatus.Running => "running",
        TrialStatus.Paused => "paused",
        TrialStatus.Finished => "finished",
        TrialStatus.Pruned => "pruned",
        TrialStatus.Failed => "failed",
        TrialStatus.Diverged => "diverged",
        TrialStatus.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "unknown trial status"),
    };

    public static TrialStatus Parse(string text) => text switch
    {
        "pending" => TrialStatus.Pending,
        "running" => TrialStatus.Running,
        "paused" => TrialStatus.Paused,
        "finished" => TrialStatus.Finished,
        "pruned" => TrialStatus.Pruned,
        "failed" => TrialStatus.Failed,
        "diverged" => TrialStatus.Diverged,
        "cancelled" => TrialStatus.Cancelled,
        _ => throw new ResultsStoreException($"trials.status: unknown trial status '{text}' in the database"),
    };
}
