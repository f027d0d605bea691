using Microsoft.Extensions.Logging;
using VaeSweep.Silo;

namespace VaeSweep.Client.Commands;

/// <summary>The --cluster value (or $VAESWEEP_CLUSTER), parsed once, and the log output cluster commands share.</summary>
internal static class ClusterSettings
{
    /// <summary>Null when neither names a cluster: trials then run in the embedded silo.</summary>
    /// <exception cref="FormatException">The value is not redis://HOST:PORT[/CLUSTER].</exception>
    public static ClusterAddress? From(CliContext context, string? option)
    {
        var value = option ?? context.Environment(CommonOptions.ClusterVariable);
        return string.IsNullOrWhiteSpace(value) ? null : ClusterAddress.Parse(value);
    }

    /// <summary>The exit code for a cluster that cannot take work.</summary>
    public static int ExitCode(ClusterException e) => e.Problem == ClusterProblem.NoSilos ? ExitCodes.NoSilos : ExitCodes.ClusterUnreachable;

    /// <summary>
    /// Log lines on standard error, one per line, so standard output stays the command's own. Orleans'
    /// own chatter is kept to warnings (errors for the client, which sees transient ones while silos move).
    /// </summary>
    public static ILoggerFactory Logging(LogLevel minimum, LogLevel orleans) => LoggerFactory.Create(b => b
        .SetMinimumLevel(minimum)
        .AddFilter("Orleans", orleans)
        .AddFilter("Microsoft", LogLevel.Warning)
        .AddFilter("StackExchange", LogLevel.Warning)
        .AddFilter("Polly", LogLevel.Warning)
        .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
        .AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        }));
}
