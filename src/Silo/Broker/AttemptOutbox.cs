using System.Threading.Channels;
using VaeSweep.Grains.Contracts;

namespace VaeSweep.Silo.Broker;

/// <summary>
/// A grain's events on their way to the sweep's events queue, in order, each confirmed before the next.
/// Publishing returns as soon as the event is queued here, so training goes on while the broker is away;
/// only a long outage (more than <see cref="Capacity"/> events waiting) makes the grain wait.
/// </summary>
internal sealed class AttemptOutbox : ITrialEventSink
{
    /// <summary>Events held before the grain waits: epochs and checkpoints of a long outage.</summary>
    public const int Capacity = 64;

    private readonly Channel<TrialEvent> pending = Channel.CreateBounded<TrialEvent>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly ConfirmedPublisher publisher;
    private readonly Topology topology;
    private readonly string queue;
    private readonly Func<Task> firstConfirmed;
    private readonly CancellationToken abandon;
    private readonly Task pump;
    private int sequence;

    /// <param name="queue">The sweep's events queue (the work's reply-to).</param>
    /// <param name="firstConfirmed">Runs once, after the first event is confirmed (the silo acknowledges the work then).</param>
    /// <param name="abandon">Stops publishing: the silo is crashing or out of shutdown time.</param>
    public AttemptOutbox(ConfirmedPublisher publisher, Topology topology, string queue, Func<Task> firstConfirmed, CancellationToken abandon)
    {
        this.publisher = publisher;
        this.topology = topology;
        this.queue = queue;
        this.firstConfirmed = firstConfirmed;
        this.abandon = abandon;
        pump = Task.Run(PumpAsync, CancellationToken.None);
    }

    /// <summary>Events confirmed by the broker so far.</summary>
    public int Confirmed { get; private set; }

    public ValueTask PublishAsync(TrialEvent trialEvent, CancellationToken cancellationToken)
        => pending.Writer.WriteAsync(trialEvent, cancellationToken);

    /// <summary>No more events; completes once all are confirmed, throws if abandoned first.</summary>
    public Task CompleteAsync()
    {
        pending.Writer.TryComplete();
        return pump;
    }

    private async Task PumpAsync()
    {
        try
        {
            await foreach (var trialEvent in pending.Reader.ReadAllAsync(abandon))
            {
                var id = $"{trialEvent.TrialId}/{trialEvent.Attempt}/{++sequence}";
                await publisher.PublishAsync("", queue, mandatory: true, WireJson.Properties(Topology.EventType, persistent: true, id),
                    WireJson.Serialize(trialEvent), (channel, ct) => topology.DeclareEventsQueueAsync(channel, queue, ct), abandon);
                if (++Confirmed == 1) await firstConfirmed();
            }
        }
        finally
        {
            // A grain still writing must fail fast rather than wait on a pump that is gone.
            pending.Writer.TryComplete();
        }
    }
}
