using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using VaeSweep.Grains.Contracts;

namespace VaeSweep.Silo.Broker;

/// <summary>
/// The client's side of cluster mode, for one sweep: work goes to the shared work queue, events come back
/// from the sweep's own durable queue and are acknowledged only once the client has stored them, so a
/// client may die at any point and the next one to attach to the sweep receives everything not yet stored.
/// Attempts are watched through heartbeats: one whose silo falls silent for a lease comes back as a
/// <see cref="TrialReleased"/> made here (with nothing to acknowledge), for the client to re-issue.
/// </summary>
public sealed class BrokerTrialRunner : ITrialRunner
{
    private readonly BrokerOptions options;
    private readonly Topology topology;
    private readonly string sweep;
    private readonly string eventsQueue;
    private readonly string id = Guid.NewGuid().ToString("N")[..12];
    private readonly ILogger logger;
    private readonly TimeProvider time;
    private readonly IConnection connection;
    private readonly ConfirmedPublisher publisher;
    private readonly Channel<ReceivedEvent> events = Channel.CreateUnbounded<ReceivedEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SiloRegistry silos;
    private readonly LeaseTracker leases;

    // While the connection is down nobody's heartbeats can arrive; silence then says nothing about silos.
    private volatile bool disconnected;
    private readonly SemaphoreSlim leaseGate = new(1, 1);
    private readonly Dictionary<string, int> latestAttempt = new(StringComparer.Ordinal);
    private readonly HashSet<RunningTrial> cancelled = [];
    private readonly Dictionary<RunningTrial, DateTimeOffset> cancelSent = [];
    private readonly CancellationTokenSource sweepCancelled = new();
    private readonly CancellationTokenSource stopping = new();
    private IChannel? eventsChannel;
    private IChannel? listenChannel;
    private IChannel? queryChannel;
    private Task leaseLoop = Task.CompletedTask;

    private BrokerTrialRunner(BrokerOptions options, string sweep, IConnection connection, ILogger logger, TimeProvider time)
    {
        this.options = options;
        this.sweep = sweep;
        this.connection = connection;
        this.logger = logger;
        this.time = time;
        topology = new Topology(options.Prefix);
        eventsQueue = topology.EventsQueue(sweep);
        silos = new SiloRegistry(options.Lease);
        leases = new LeaseTracker(options.Lease);
        publisher = new ConfirmedPublisher(connection, options.RetryInterval, time, logger);
    }

    /// <summary>
    /// Connects, declares the topology, attaches to <paramref name="sweep"/>'s events queue (receiving
    /// whatever an earlier client left unacknowledged) and starts watching heartbeats. Running a sweep
    /// lifts an earlier <see cref="BrokerControl.CancelSweepAsync"/> of it.
    /// </summary>
    /// <exception cref="BrokerConnectionException">The broker is unreachable or refused the credentials.</exception>
    public static async Task<BrokerTrialRunner> ConnectAsync(
        BrokerOptions options, string sweep, ILogger logger, TimeProvider time, CancellationToken cancellationToken)
    {
        options.Validate();
        new Topology(options.Prefix).ValidateSweep(sweep);
        var connection = await BrokerConnector.ConnectAsync(options, $"vaesweep client ({sweep})", logger, cancellationToken);
        var runner = new BrokerTrialRunner(options, sweep, connection, logger, time);
        try
        {
            await BrokerConnector.SetUpAsync(options, () => runner.StartAsync(cancellationToken));
            return runner;
        }
        catch
        {
            await runner.DisposeAsync();
            throw;
        }
    }

    /// <summary>The broker does not know how many slots will serve the queue: submit everything.</summary>
    public int? Slots => null;

    /// <summary>Silos heard within the lease, with their running attempts narrowed to this sweep.</summary>
    public IReadOnlyList<SiloHeartbeat> Silos => silos.Live(time.GetUtcNow(), sweep);

    /// <summary>Fires when someone cancels this sweep (<see cref="BrokerControl.CancelSweepAsync"/>): stop submitting.</summary>
    public CancellationToken SweepCancelled => sweepCancelled.Token;

    public string Sweep => sweep;

    public async ValueTask SubmitAsync(TrialWork work, CancellationToken cancellationToken)
    {
        if (work.Sweep != sweep)
            throw new ArgumentException($"work: trial {work.TrialId} belongs to sweep '{work.Sweep}', but this runner serves '{sweep}'", nameof(work));
        await WithLeasesAsync(() =>
        {
            NoteAttempt(work.TrialId, work.Attempt);
            leases.Reopen(new RunningTrial(work.TrialId, work.Attempt));
        });
        var properties = WireJson.Properties(Topology.WorkType, persistent: true, $"{work.TrialId}/{work.Attempt}");
        properties.ReplyTo = eventsQueue;
        await publisher.PublishAsync("", topology.WorkQueue, mandatory: true, properties, WireJson.Serialize(work),
            topology.DeclareWorkQueueAsync, cancellationToken);
    }

    public ValueTask WatchAsync(string trialId, int attempt, CancellationToken cancellationToken)
        => new(WithLeasesAsync(() =>
        {
            NoteAttempt(trialId, attempt);
            leases.Watch(new RunningTrial(trialId, attempt), time.GetUtcNow());
        }));

    public async ValueTask CancelAsync(string trialId, int attempt, CancellationToken cancellationToken)
    {
        var key = new RunningTrial(trialId, attempt);
        await WithLeasesAsync(() =>
        {
            cancelled.Add(key);
            cancelSent[key] = time.GetUtcNow();
        });
        await BroadcastCancelAsync(key, cancellationToken);
    }

    public async IAsyncEnumerable<ReceivedEvent> ReadEventsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var e in events.Reader.ReadAllAsync(cancellationToken))
            yield return e;
    }

    /// <summary>
    /// Leaves: events received but not acknowledged go back to the queue for the next client; silos keep
    /// running the sweep's trials.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        try
        {
            await leaseLoop;
        }
        catch (OperationCanceledException)
        {
        }

        await publisher.DisposeAsync();
        try
        {
            await connection.CloseAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception ex)
        {
            logger.LogDebug("Closing the broker connection: {Error}", ex.Message);
        }

        connection.Dispose();
        events.Writer.TryComplete();
        stopping.Dispose();
    }

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        queryChannel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        await topology.DeclareExchangesAsync(queryChannel, cancellationToken);
        await topology.DeclareWorkQueueAsync(queryChannel, cancellationToken);
        await topology.DeclareEventsQueueAsync(queryChannel, eventsQueue, cancellationToken);
        await queryChannel.QueueDeleteAsync(topology.CancelledFlag(sweep), ifUnused: false, ifEmpty: false, cancellationToken: cancellationToken);

        connection.RecoverySucceededAsync += OnRecoveredAsync;
        connection.ConnectionShutdownAsync += (_, e) =>
        {
            disconnected = true;
            if (!stopping.IsCancellationRequested)
                logger.LogWarning("Lost the broker connection ({Reason}); reconnecting every {Interval} s", e.ReplyText, options.RetryInterval.TotalSeconds);
            return Task.CompletedTask;
        };

        listenChannel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        await FanoutListener.StartAsync<HeartbeatMessage>(listenChannel, topology, topology.HeartbeatsExchange, "client", id,
            Topology.HeartbeatType, options.Lease, OnHeartbeatAsync, logger, cancellationToken);
        await FanoutListener.StartAsync<ControlMessage>(listenChannel, topology, topology.ControlExchange, "client", id,
            Topology.ControlType, options.Lease, OnControlAsync, logger, cancellationToken);

        eventsChannel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        await eventsChannel.BasicQosAsync(0, options.EventPrefetch, global: false, cancellationToken);
        var consumer = new AsyncEventingBasicConsumer(eventsChannel);
        consumer.ReceivedAsync += OnEventAsync;
        await eventsChannel.BasicConsumeAsync(eventsQueue, autoAck: false, consumer, cancellationToken);

        // Silos that heard an earlier cancel of this sweep keep it in memory: running it again lifts it there too.
        await publisher.PublishAsync(topology.ControlExchange, "", mandatory: false, WireJson.Properties(Topology.ControlType, persistent: false),
            WireJson.Serialize(new ControlMessage(ControlKind.ResumeSweep, sweep)), null, cancellationToken);

        leaseLoop = Task.Run(() => WatchLeasesAsync(stopping.Token), CancellationToken.None);
    }

    private async Task OnEventAsync(object sender, BasicDeliverEventArgs delivery)
    {
        var channel = ((AsyncEventingBasicConsumer)sender).Channel;
        var tag = delivery.DeliveryTag;
        TrialEvent trialEvent;
        try
        {
            if (WireJson.Mismatch(delivery.BasicProperties, Topology.EventType) is { } problem)
                throw new JsonException(problem);
            trialEvent = WireJson.Deserialize<TrialEvent>(delivery.Body);
        }
        catch (JsonException ex)
        {
            // Redelivering it would only fail again; the log is the one place it can go.
            logger.LogError("Dropped an unreadable message on {Queue}: {Error}", eventsQueue, ex.Message);
            await channel.BasicAckAsync(tag, multiple: false);
            return;
        }

        await WithLeasesAsync(() => Observe(trialEvent));
        await events.Writer.WriteAsync(new ReceivedEvent(trialEvent, () => AcknowledgeAsync(channel, tag)));
    }

    private async ValueTask AcknowledgeAsync(IChannel channel, ulong tag)
    {
        try
        {
            await channel.BasicAckAsync(tag, multiple: false);
        }
        catch (Exception ex)
        {
            // The connection dropped since delivery: the broker redelivers the event, and storing is idempotent.
            logger.LogDebug("Acknowledging an event failed ({Error}); it will be redelivered", ex.Message);
        }
    }

    /// <summary>Lease bookkeeping of one event; also stops attempts the client has moved past.</summary>
    private void Observe(TrialEvent trialEvent)
    {
        var key = new RunningTrial(trialEvent.TrialId, trialEvent.Attempt);
        var now = time.GetUtcNow();
        switch (trialEvent)
        {
            case TrialStarted started:
                leases.Started(key, started.Host, now);
                if (IsUnwanted(key)) QueueCancel(key, now);
                break;
            case TrialFinished or TrialFailed or TrialDiverged or TrialReleased:
                leases.End(key);
                break;
        }
    }

    private async Task OnHeartbeatAsync(HeartbeatMessage heartbeat)
    {
        var now = time.GetUtcNow();
        silos.Record(heartbeat, now);
        await WithLeasesAsync(() =>
        {
            foreach (var (attemptSweep, attempt) in heartbeat.Attempts())
            {
                if (attemptSweep != sweep) continue;
                leases.Listed(attempt, heartbeat.Silo.Name, now);
                if (IsUnwanted(attempt)) QueueCancel(attempt, now);
            }
        });
    }

    private async Task OnControlAsync(ControlMessage message)
    {
        if (message is { Kind: ControlKind.CancelSweep } && message.Sweep == sweep && !sweepCancelled.IsCancellationRequested)
        {
            logger.LogWarning("Sweep {Sweep} was cancelled from elsewhere", sweep);
            await sweepCancelled.CancelAsync();
        }
    }

    private Task OnRecoveredAsync(object sender, AsyncEventArgs e)
    {
        logger.LogInformation("Reconnected to the broker");
        var now = time.GetUtcNow();
        silos.Refresh(now);
        return WithLeasesAsync(() =>
        {
            leases.Refresh(now);
            disconnected = false;
        });
    }

    /// <summary>An attempt the client cancelled, or one older than the client's latest for that trial.</summary>
    private bool IsUnwanted(RunningTrial attempt)
        => cancelled.Contains(attempt) || (latestAttempt.TryGetValue(attempt.TrialId, out var latest) && attempt.Attempt < latest);

    private void NoteAttempt(string trialId, int attempt)
    {
        if (!latestAttempt.TryGetValue(trialId, out var latest) || attempt > latest) latestAttempt[trialId] = attempt;
    }

    /// <summary>Re-broadcasts a cancel at most once a lease per attempt (heartbeats would repeat it every 2 s).</summary>
    private void QueueCancel(RunningTrial attempt, DateTimeOffset now)
    {
        if (cancelSent.TryGetValue(attempt, out var sent) && now - sent < options.Lease) return;
        cancelSent[attempt] = now;
        logger.LogInformation("Stopping {Trial} attempt {Attempt}: the client no longer wants it", attempt.TrialId, attempt.Attempt);
        _ = BroadcastCancelAsync(attempt, stopping.Token);
    }

    private async Task BroadcastCancelAsync(RunningTrial attempt, CancellationToken cancellationToken)
    {
        try
        {
            var message = new ControlMessage(ControlKind.CancelAttempt, sweep, attempt.TrialId, attempt.Attempt);
            await publisher.PublishAsync(topology.ControlExchange, "", mandatory: false,
                WireJson.Properties(Topology.ControlType, persistent: false), WireJson.Serialize(message), null, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested || stopping.IsCancellationRequested)
        {
        }
    }

    private async Task WatchLeasesAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(options.HeartbeatInterval / 2, time);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            try
            {
                await ReleaseExpiredAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogDebug("Lease check skipped: {Error}", ex.Message);
            }
        }
    }

    /// <summary>
    /// Releases attempts not renewed for a lease, but only once the events queue is drained: a silo unlists
    /// an attempt after its terminal event is confirmed, so a backlog may still hold that event, and
    /// releasing a finished trial would throw its result away.
    /// </summary>
    private async Task ReleaseExpiredAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (disconnected)
        {
            // The socket may be back before topology recovery has finished (OnRecoveredAsync): until then,
            // keep every lease fresh rather than release trials whose silos simply could not be heard.
            await WithLeasesAsync(() => leases.Refresh(now));
            return;
        }

        IReadOnlyList<(RunningTrial Attempt, string? Silo, TimeSpan Silent)> expired = [];
        await WithLeasesAsync(() => expired = leases.Expired(now));
        if (expired.Count == 0 || !connection.IsOpen) return;
        if (queryChannel is not { IsOpen: true })
        {
            // Closed by an error (a 404 if someone deleted the queue); the connection is fine, so start afresh.
            queryChannel?.Dispose();
            queryChannel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
            await topology.DeclareEventsQueueAsync(queryChannel, eventsQueue, cancellationToken);
        }

        if (await queryChannel.MessageCountAsync(eventsQueue, cancellationToken) > 0) return;

        var released = new List<TrialReleased>();
        await WithLeasesAsync(() =>
        {
            foreach (var (attempt, silo, silent) in expired)
            {
                if (!leases.IsTracked(attempt)) continue; // ended meanwhile
                leases.End(attempt);
                released.Add(new TrialReleased(attempt.TrialId, attempt.Attempt, Reason(silo, silent, now)));
            }
        });
        foreach (var release in released)
        {
            logger.LogWarning("Releasing {Trial} attempt {Attempt}: {Reason}", release.TrialId, release.Attempt, release.Reason);
            await events.Writer.WriteAsync(new ReceivedEvent(release, static () => ValueTask.CompletedTask), cancellationToken);
        }
    }

    private string Reason(string? silo, TimeSpan silent, DateTimeOffset now)
    {
        if (silo is null)
            return $"no silo reported running it for {silent.TotalSeconds:0} s";
        var quiet = silos.SilentFor(silo, now);
        if (quiet is null || quiet >= options.Lease)
            return $"silo {silo} lost: no heartbeat for {(quiet ?? silent).TotalSeconds:0} s";
        return $"silo {silo} no longer reports running it";
    }

    private async Task WithLeasesAsync(Action action)
    {
        await leaseGate.WaitAsync();
        try
        {
            action();
        }
        finally
        {
            leaseGate.Release();
        }
    }
}
