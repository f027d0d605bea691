namespace VaeSweep.Client.Store;

/// <summary>A sweep's state, as the scheduler last set it.</summary>
public enum SweepStatus
{
    Pending,
    Running,
    Finished,
    Cancelled,
}

/// <summary>The lower-case words the database stores for <see cref="SweepStatus"/>.</summary>
public static class SweepStatusText
{
    public static string ToDb(this SweepStatus status) => status switch
    {
        SweepStatus.Pending => "pending",
        SweepStatus.Running => "running",
        SweepStatus.Finished => "finished",
        SweepStatus.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "unknown sweep status"),
    };

    public static SweepStatus Parse(string text) => text switch
    {
        "pending" => SweepStatus.Pending,
        "running" => SweepStatus.Running,
        "finished" => SweepStatus.Finished,
        "cancelled" => SweepStatus.Cancelled,
        _ => throw new ResultsStoreException($"sweeps.status: unknown sweep status '{text}' in the database"),
    };
}
