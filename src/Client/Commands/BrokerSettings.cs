using Microsoft.Extensions.Logging;
using VaeSweep.Silo.Broker;

namespace VaeSweep.Client.Commands;

/// <summary>
/// Broker options from the URI and the environment. Credentials come only from the URI or
/// VAESWEEP_BROKER_USER / VAESWEEP_BROKER_PASSWORD. Two advanced variables exist for tests and for
/// sharing one broker between independent installations: VAESWEEP_BROKER_PREFIX (queue name prefix) and
/// VAESWEEP_BROKER_LEASE (seconds of silence before a silo is presumed dead).
/// </summary>
internal static class BrokerSettings
{
    public const string PrefixVariable = "VAESWEEP_BROKER_PREFIX";
    public const string LeaseVariable = "VAESWEEP_BROKER_LEASE";

    public static BrokerOptions From(CliContext context, string uri)
    {
        var options = BrokerOptions.FromUri(uri, context.Environment);
        if (context.Environment(PrefixVariable) is { Length: > 0 } prefix) options = options with { Prefix = prefix };
        if (context.Environment(LeaseVariable) is { Length: > 0 } lease)
        {
            if (!double.TryParse(lease, System.Globalization.CultureInfo.InvariantCulture, out var seconds) || seconds <= 0)
                throw new ArgumentException($"{LeaseVariable}: expected a positive number of seconds, got '{lease}'");
            var leaseTime = TimeSpan.FromSeconds(seconds);
            // Keep at least three heartbeats per lease, as the options require.
            options = options with { Lease = leaseTime, HeartbeatInterval = TimeSpan.FromSeconds(Math.Min(2, seconds / 4)) };
        }

        options.Validate();
        return options;
    }

    /// <summary>Log lines on standard error, one per line, so standard output stays the command's own.</summary>
    public static ILoggerFactory Logging(LogLevel minimum) => LoggerFactory.Create(b => b
        .SetMinimumLevel(minimum)
        .AddFilter("RabbitMQ", LogLevel.Warning)
        .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
        .AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        }));
}
