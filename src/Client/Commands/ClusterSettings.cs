using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Serilog;
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
    /// Used by the silo, whose log is its standard error.
    /// </summary>
    public static ILoggerFactory Logging(LogLevel minimum, LogLevel orleans) => LoggerFactory.Create(b => Console(b
        .SetMinimumLevel(minimum)
        .AddFilter("Orleans", orleans)
        .AddFilter("Microsoft", LogLevel.Warning)
        .AddFilter("StackExchange", LogLevel.Warning)
        .AddFilter("Polly", LogLevel.Warning)));

    /// <summary>
    /// The log of a client command (run, status, cancel): everything worth keeping (vaesweep's own lines, Orleans',
    /// Redis' and Polly's warnings with their stack traces) goes to <paramref name="logFile"/>; the terminal shows only
    /// vaesweep's own informational lines, as the command prints its own one-line message for whatever fails. With
    /// <paramref name="verbose"/> the terminal shows what the file gets.
    /// </summary>
    public static ILoggerFactory ClientLogging(string logFile, bool verbose) => LoggerFactory.Create(b =>
    {
        b.SetMinimumLevel(LogLevel.Information)
            .AddFilter("Orleans", LogLevel.Warning)
            .AddFilter("Microsoft", LogLevel.Warning)
            .AddFilter("StackExchange", LogLevel.Warning)
            .AddFilter("Polly", LogLevel.Warning)
            .AddSerilog(new LoggerConfiguration()
                .WriteTo.File(logFile, outputTemplate: "{Timestamp:yyyy-MM-dd HH:mm:ss.fff} {Level:u3} {SourceContext}: {Message:lj}{NewLine}{Exception}")
                .CreateLogger(), dispose: true);
        Console(b);
        if (!verbose)
            b.AddFilter<ConsoleLoggerProvider>((category, level) =>
                category is not null && category.StartsWith("vaesweep", StringComparison.Ordinal) && level == LogLevel.Information);
    });

    /// <summary>Where <see cref="ClientLogging"/> writes for the database at <paramref name="dbPath"/>: beside it, named after it.</summary>
    public static string LogFileFor(string dbPath) => Path.GetFullPath(dbPath) + ".log";

    private static ILoggingBuilder Console(ILoggingBuilder b) => b
        .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
        .AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
}
