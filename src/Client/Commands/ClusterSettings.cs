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
    /// Once <paramref name="quietAfter"/> is cancelled (the user pressed Ctrl-C) Orleans says nothing more: its
    /// shutdown complaints (grains with nowhere to migrate, observers gone) are expected then and only bury the one
    /// line that says what was kept.
    /// </summary>
    public static ILoggerFactory Logging(LogLevel minimum, LogLevel orleans, CancellationToken quietAfter = default) => LoggerFactory.Create(b => b
        // One rule deciding everything: with per-category rules beside it, the logging library would pick those
        // for Orleans' categories and never ask this one.
        .SetMinimumLevel(LogLevel.Trace)
        .AddFilter((_, category, level) =>
        {
            category ??= "";
            if (quietAfter.IsCancellationRequested && !category.StartsWith("VaeSweep", StringComparison.Ordinal)) return false;
            var least = category.StartsWith("Orleans", StringComparison.Ordinal) ? orleans
                : category.StartsWith("Microsoft", StringComparison.Ordinal) || category.StartsWith("StackExchange", StringComparison.Ordinal)
                    || category.StartsWith("Polly", StringComparison.Ordinal) ? LogLevel.Warning
                : minimum;
            return level >= least;
        })
        .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
        .AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        }));
}
