namespace VaeSweep.Client;

/// <summary>Distinct process exit codes, so scripts can tell failures apart.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>Wrong flag or argument (System.CommandLine's own parse errors also exit 1).</summary>
    public const int Usage = 1;
    /// <summary>The spec file is missing or invalid; nothing was written.</summary>
    public const int BadSpec = 2;
    /// <summary>The sweep ran to the end, but some trials failed or diverged.</summary>
    public const int TrialsFailed = 3;
    /// <summary>The cluster's Redis could not be reached.</summary>
    public const int ClusterUnreachable = 4;
    /// <summary>The results database could not be opened, is newer than this tool, or the query was refused.</summary>
    public const int Database = 5;
    /// <summary>reproduce: the re-run's metrics differ from the stored ones.</summary>
    public const int NotReproduced = 6;
    /// <summary>A named trial or sweep does not exist (or a prefix is ambiguous).</summary>
    public const int NotFound = 7;
    /// <summary>The cluster's Redis answered, but no silo of the cluster did.</summary>
    public const int NoSilos = 8;
    /// <summary>
    /// Another live client is running this sweep, or one sharing trials with it, on the same database (it holds the
    /// sweep's lease); or this client lost its lease. Nothing was written.
    /// </summary>
    public const int Busy = 9;
    /// <summary>The results database's filesystem is full (or over quota); what was stored is intact, re-run once space is freed.</summary>
    public const int DiskFull = 10;
    /// <summary>run: the cluster lost every silo mid-sweep and none came back in time; what was stored is kept.</summary>
    public const int ClusterLost = 11;
    /// <summary>rm: the confirmation was declined (or could not be asked: no --yes and no answer); nothing was removed.</summary>
    public const int Declined = 12;
    /// <summary>Interrupted (Ctrl-C / SIGTERM); progress up to the last checkpoint is kept.</summary>
    public const int Interrupted = 130;
}
