using System.Text.RegularExpressions;

namespace VaeSweep.Silo.Broker;

/// <summary>
/// How to reach the broker and the timing of the cluster protocol; shared by clients and silos, which must
/// agree on <see cref="Prefix"/> and should agree on <see cref="Lease"/> and <see cref="HeartbeatInterval"/>.
/// Credentials come only from the URI or the environment (<see cref="FromUri"/>), never from a flag, and
/// are never logged.
/// </summary>
public sealed partial record BrokerOptions
{
    /// <summary>Environment variables read when the URI carries no user name and password.</summary>
    public const string UserVariable = "VAESWEEP_BROKER_USER";
    public const string PasswordVariable = "VAESWEEP_BROKER_PASSWORD";

    /// <summary>amqp://user:password@host:port/vhost, or amqps:// for TLS (port 5671, server name = host).</summary>
    public required string Uri { get; init; }

    /// <summary>User name when the URI has none (null: the URI's, or the broker default "guest").</summary>
    public string? UserName { get; init; }

    /// <summary>Password when the URI has none.</summary>
    public string? Password { get; init; }

    /// <summary>First word of every exchange and queue name (see <see cref="Topology"/>). Letters, digits, '.', '_', '-'.</summary>
    public string Prefix { get; init; } = "vaesweep";

    /// <summary>How often a silo says it is alive. Default 2 s.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Silence after which a client gives up on a silo and releases its attempts. Default 12 s: six missed
    /// heartbeats, long enough to ride out a GC pause or a short network blip, short enough that a lost
    /// trial is re-issued promptly. At least three heartbeat intervals.
    /// </summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromSeconds(12);

    /// <summary>TCP connect and AMQP handshake limit for the first connection, so a wrong address fails fast. Default 5 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Pause between reconnection attempts after the broker goes away, and between publish retries. Default 2 s.</summary>
    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Events a client holds unacknowledged at once. Default 64.</summary>
    public ushort EventPrefetch { get; init; } = 64;

    /// <summary>
    /// Options from a URI, filling missing credentials from <see cref="UserVariable"/> and
    /// <see cref="PasswordVariable"/> (read through <paramref name="environment"/>; default: the process's).
    /// </summary>
    public static BrokerOptions FromUri(string uri, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        return new BrokerOptions
        {
            Uri = uri,
            UserName = environment(UserVariable),
            Password = environment(PasswordVariable),
        };
    }

    public void Validate()
    {
        if (!System.Uri.TryCreate(Uri, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("amqp" or "amqps"))
            throw new ArgumentException($"broker: '{BrokerAddress.Redact(Uri)}' is not an amqp:// or amqps:// URI", nameof(Uri));
        if (!PrefixPattern().IsMatch(Prefix))
            throw new ArgumentException($"prefix: '{Prefix}' must be 1-100 letters, digits, '.', '_' or '-'", nameof(Prefix));
        if (HeartbeatInterval <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(HeartbeatInterval), HeartbeatInterval, "heartbeat interval: must be positive");
        if (Lease < 3 * HeartbeatInterval)
            throw new ArgumentOutOfRangeException(nameof(Lease), Lease, $"lease: must be at least three heartbeat intervals ({3 * HeartbeatInterval})");
        if (ConnectTimeout <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(ConnectTimeout), ConnectTimeout, "connect timeout: must be positive");
        if (RetryInterval <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(RetryInterval), RetryInterval, "retry interval: must be positive");
        if (EventPrefetch < 1)
            throw new ArgumentOutOfRangeException(nameof(EventPrefetch), EventPrefetch, "event prefetch: must be at least 1");
    }

    /// <summary>Keeps the password out of any accidental ToString of the options.</summary>
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"Uri = {BrokerAddress.Redact(Uri)}, Prefix = {Prefix}, Lease = {Lease}, HeartbeatInterval = {HeartbeatInterval}");
        return true;
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,100}$")]
    private static partial Regex PrefixPattern();
}
