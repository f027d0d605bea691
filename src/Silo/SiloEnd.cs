namespace VaeSweep.Silo;

/// <summary>How a worker silo's run ended.</summary>
public enum SiloEnd
{
    /// <summary>Asked to stop (Ctrl-C, SIGTERM); its trials were released to the client.</summary>
    Stopped,

    /// <summary>The membership table lost it (Redis restarted without its data); the process should exit and be started again.</summary>
    Unlisted,
}
