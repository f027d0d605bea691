namespace VaeSweep.Client.Store;

/// <summary>How the store talks to SQLite. Defaults suit one writer (the client) and occasional readers.</summary>
public sealed record ResultsStoreOptions
{
    /// <summary>
    /// SQLite busy_timeout: how long one statement waits for a lock held by another connection before it
    /// gives up. Default 5 s. In WAL mode readers never wait for the writer; this only matters when a
    /// second writer (e.g. someone's sqlite3 shell) holds the write lock. Zero or more.
    /// </summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How many times a whole unit of work is retried after SQLITE_BUSY/LOCKED outlived the busy timeout.
    /// Default 3. Each retry re-runs the unit in a fresh transaction, so it is safe. Zero or more.
    /// </summary>
    public int BusyRetries { get; init; } = 3;

    /// <summary>
    /// Keep a trial's last checkpoint after it finished or diverged. Default false: checkpoints exist to
    /// resume interrupted trials, and a reference model's checkpoint (weights plus Adam moments) is several
    /// megabytes, so keeping one per finished trial would make a large sweep's database gigabytes.
    /// </summary>
    public bool KeepCheckpointsAfterFinish { get; init; }

    /// <summary>Every violated constraint, as "field: what is wrong"; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (BusyTimeout < TimeSpan.Zero || BusyTimeout.TotalMilliseconds > int.MaxValue)
            errors.Add($"busy_timeout: must be between 0 and {int.MaxValue} ms, got {BusyTimeout}");
        if (BusyRetries < 0) errors.Add($"busy_retries: must be 0 or more, got {BusyRetries}");
        return errors;
    }
}
