using System.Text;
using RabbitMQ.Client;

namespace VaeSweep.Silo.Broker;

/// <summary>
/// Every exchange and queue of cluster mode, named from one prefix (<see cref="BrokerOptions.Prefix"/>,
/// default "vaesweep") so that tests, or two installations, can share a broker without meeting.
/// Everyone who uses a name declares it first with exactly these arguments (declaring is idempotent,
/// and a mismatch would close the channel), so neither side depends on the other having started.
///
/// <list type="table">
/// <item><term>{prefix}.work</term><description>
///   Quorum queue, durable, shared by every sweep; default exchange, routing key = the queue name.
///   Body: <c>TrialWork</c> JSON. Properties: persistent, type "vaesweep.work", reply-to = the sweep's events
///   queue, message-id "{trial}/{attempt}". A quorum queue because it counts redeliveries
///   (x-delivery-count): work that keeps killing silos before it starts is failed instead of looping.
///   A silo acknowledges it once the attempt's first event is confirmed (usually TrialStarted); from then on
///   heartbeats, not the delivery, prove the attempt is alive (trials outlast the 30-minute consumer timeout).
/// </description></item>
/// <item><term>{prefix}.events.{sweep}</term><description>
///   Classic queue, durable, one per sweep, declared by the client and (before publishing) by silos.
///   Body: <c>TrialEvent</c> JSON (polymorphic, "type" discriminator). Properties: persistent, type
///   "vaesweep.event", message-id "{trial}/{attempt}/{n}". The client acknowledges after storing, so an
///   event survives a client crash and is redelivered to the next client of that sweep.
/// </description></item>
/// <item><term>{prefix}.heartbeats</term><description>
///   Fanout exchange, durable (so publishing never fails for want of it). Body: <c>HeartbeatMessage</c>
///   (a <c>SiloHeartbeat</c> and the sweep of each running attempt), every heartbeat interval, transient,
///   expiration = the lease, so nobody's queue ever piles up. Each listener (client or silo) binds its own
///   exclusive auto-delete queue {prefix}.heartbeats.{role}.{id} with x-message-ttl = the lease.
/// </description></item>
/// <item><term>{prefix}.control</term><description>
///   Fanout exchange, durable. Body: <c>ControlMessage</c> (cancel one attempt of a sweep's trial, or a whole
///   sweep), transient. Each listener binds an exclusive auto-delete queue {prefix}.control.{role}.{id}.
/// </description></item>
/// <item><term>{prefix}.cancelled.{sweep}</term><description>
///   Empty durable classic queue used as a flag: it exists while a sweep is cancelled, so a silo that was
///   not listening when the cancel broadcast went out still drops that sweep's queued work. Expires after
///   a week unused (x-expires); a client that runs the sweep again deletes it.
/// </description></item>
/// </list>
/// Every message carries the header "vaesweep-version" (<see cref="Version"/>); a reader drops, with an
/// error in its log, anything of another version or type rather than guessing.
/// </summary>
public sealed class Topology
{
    /// <summary>Wire version of every message body; bump on an incompatible change.</summary>
    public const int Version = 1;

    public const string VersionHeader = "vaesweep-version";
    public const string WorkType = "vaesweep.work";
    public const string EventType = "vaesweep.event";
    public const string HeartbeatType = "vaesweep.heartbeat";
    public const string ControlType = "vaesweep.control";

    /// <summary>How long a cancelled-sweep flag outlives its last use.</summary>
    public static readonly TimeSpan CancelledFlagExpiry = TimeSpan.FromDays(7);

    // AMQP short strings: a queue name is at most 255 bytes.
    private const int MaxNameBytes = 255;

    public Topology(string prefix)
    {
        Prefix = prefix;
    }

    public string Prefix { get; }

    public string WorkQueue => $"{Prefix}.work";

    public string HeartbeatsExchange => $"{Prefix}.heartbeats";

    public string ControlExchange => $"{Prefix}.control";

    public string EventsQueue(string sweep) => Checked($"{Prefix}.events.{sweep}", sweep);

    public string CancelledFlag(string sweep) => Checked($"{Prefix}.cancelled.{sweep}", sweep);

    /// <summary>A private listening queue for one process, e.g. role "silo" or "client".</summary>
    public string ListenerQueue(string exchange, string role, string id) => $"{exchange}.{role}.{id}";

    /// <summary>Throws a clear error for a sweep name that cannot be part of a queue name.</summary>
    public void ValidateSweep(string sweep)
    {
        if (string.IsNullOrWhiteSpace(sweep))
            throw new ArgumentException("sweep: must not be empty", nameof(sweep));
        EventsQueue(sweep);
        CancelledFlag(sweep);
    }

    public async Task DeclareExchangesAsync(IChannel channel, CancellationToken cancellationToken)
    {
        await channel.ExchangeDeclareAsync(HeartbeatsExchange, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken);
        await channel.ExchangeDeclareAsync(ControlExchange, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken);
    }

    public Task DeclareWorkQueueAsync(IChannel channel, CancellationToken cancellationToken)
        => channel.QueueDeclareAsync(WorkQueue, durable: true, exclusive: false, autoDelete: false,
            arguments: new Dictionary<string, object?> { ["x-queue-type"] = "quorum" }, cancellationToken: cancellationToken);

    /// <summary>Declares an events queue by its full name (silos learn it from the work's reply-to).</summary>
    public Task DeclareEventsQueueAsync(IChannel channel, string queue, CancellationToken cancellationToken)
        => channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false,
            arguments: new Dictionary<string, object?> { ["x-queue-type"] = "classic" }, cancellationToken: cancellationToken);

    public Task DeclareCancelledFlagAsync(IChannel channel, string sweep, CancellationToken cancellationToken)
        => channel.QueueDeclareAsync(CancelledFlag(sweep), durable: true, exclusive: false, autoDelete: false,
            arguments: new Dictionary<string, object?>
            {
                ["x-queue-type"] = "classic",
                ["x-expires"] = (int)CancelledFlagExpiry.TotalMilliseconds,
            },
            cancellationToken: cancellationToken);

    /// <summary>A process's own queue on a fanout exchange: gone with its connection, messages expire after <paramref name="ttl"/>.</summary>
    public async Task<string> DeclareListenerAsync(IChannel channel, string exchange, string role, string id, TimeSpan ttl, CancellationToken cancellationToken)
    {
        var queue = ListenerQueue(exchange, role, id);
        await channel.QueueDeclareAsync(queue, durable: false, exclusive: true, autoDelete: true,
            arguments: new Dictionary<string, object?> { ["x-message-ttl"] = (int)ttl.TotalMilliseconds }, cancellationToken: cancellationToken);
        await channel.QueueBindAsync(queue, exchange, routingKey: "", cancellationToken: cancellationToken);
        return queue;
    }

    private static string Checked(string name, string sweep)
    {
        if (Encoding.UTF8.GetByteCount(name) > MaxNameBytes)
            throw new ArgumentException($"sweep: '{sweep}' makes the queue name '{name}' longer than the broker's {MaxNameBytes} bytes", nameof(sweep));
        return name;
    }
}
