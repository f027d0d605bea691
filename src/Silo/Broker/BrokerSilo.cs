using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using VaeSweep.Grains;
using VaeSweep.Grains.Contracts;

namespace VaeSweep.Silo.Broker;

/// <summary>
/// A worker host behind the broker: each slot takes one work message at a time from the shared work queue,
/// runs its trial grain on the slot's own thread and sends the grain's events to the sweep's events queue.
/// The work is acknowledged once the attempt's first event is confirmed; from then on heartbeats prove the
/// attempt alive, and a client re-issues it if they stop. A clean stop cancels running trials and reports
/// each released, so they resume elsewhere from their last checkpoint.
/// </summary>
public sealed partial class BrokerSilo : IAsyncDisposable
{
    private readonly BrokerSiloOptions options;
    private readonly Func<ITrialGrain> grains;
    private readonly ILogger logger;
    private readonly TimeProvider time;
    private readonly Topology topology;
    private readonly string instance = Guid.NewGuid().ToString("N")[..12];
    private readonly ConcurrentDictionary<AttemptKey, RunningAttempt> running = new();
    private readonly CancellationLedger ledger = new();
    private readonly SiloRegistry peers;
    private readonly CancellationTokenSource stopping = new();
    private readonly CancellationTokenSource abandon = new();
    // The timer's heartbeats and those a client asks for when it attaches share one channel, one at a time.
    private readonly SemaphoreSlim heartbeatGate = new(1, 1);
    private IConnection? connection;
    private ConfirmedPublisher? publisher;
    private IChannel? listenChannel;
    private IChannel? heartbeatChannel;
    private Thread[] threads = [];
    private WorkSlot[] slots = [];
    private Task heartbeats = Task.CompletedTask;
    private int state; // 0 new, 1 started, 2 stopped

    public BrokerSilo(BrokerSiloOptions options, Func<ITrialGrain> grainFactory, ILogger logger, TimeProvider time)
    {
        options.Validate();
        this.options = options;
        grains = grainFactory;
        this.logger = logger;
        this.time = time;
        topology = new Topology(options.Broker.Prefix);
        peers = new SiloRegistry(options.Broker.Lease);
    }

    /// <summary>
    /// The <c>vaesweep silo</c> verb: serves the work queue with real trial grains until
    /// <paramref name="stop"/> fires (Ctrl-C / SIGTERM), then stops cleanly.
    /// </summary>
    /// <exception cref="BrokerConnectionException">The broker is unreachable or refused the credentials.</exception>
    public static async Task RunAsync(BrokerSiloOptions options, ILogger logger, CancellationToken stop)
    {
        var datasets = new DatasetCache();
        await using var silo = new BrokerSilo(options, () => new TrialGrain(datasets, options.Name, TimeProvider.System), logger, TimeProvider.System);
        await silo.StartAsync(stop);
        try
        {
            await Task.Delay(Timeout.Infinite, stop);
        }
        catch (OperationCanceledException)
        {
            logger.LogInformation("Silo {Name} stopping", options.Name);
        }
    }

    public string Name => options.Name;

    /// <summary>For tests: raised with the message id ("{trial}/{attempt}") once a work message is acknowledged.</summary>
    internal event Action<string>? WorkAcknowledged;

    /// <summary>Attempts this silo is running (or preparing), as its heartbeat reports them.</summary>
    public IReadOnlyList<RunningTrial> Running => [.. running.Keys.Select(k => new RunningTrial(k.TrialId, k.Attempt))];

    /// <exception cref="BrokerConnectionException">The broker is unreachable or refused the credentials.</exception>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref state, 1, 0) != 0) throw new InvalidOperationException("a silo starts once");
        var broker = options.Broker;
        connection = await BrokerConnector.ConnectAsync(broker, $"vaesweep silo {options.Name}", logger, cancellationToken);
        connection.ConnectionShutdownAsync += (_, e) =>
        {
            if (!stopping.IsCancellationRequested)
                logger.LogWarning("Lost the broker connection ({Reason}); running trials go on, reconnecting every {Interval} s",
                    e.ReplyText, broker.RetryInterval.TotalSeconds);
            return Task.CompletedTask;
        };
        connection.RecoverySucceededAsync += (_, _) =>
        {
            logger.LogInformation("Reconnected to the broker");
            peers.Refresh(time.GetUtcNow());
            return Task.CompletedTask;
        };
        publisher = new ConfirmedPublisher(connection, broker.RetryInterval, time, logger);
        await BrokerConnector.SetUpAsync(broker, () => SetUpAsync(connection, cancellationToken));
        await SendHeartbeatAsync();
        heartbeats = Task.Run(HeartbeatLoopAsync, CancellationToken.None);
        threads = [.. slots.Select(slot => new Thread(() => RunSlot(slot)) { IsBackground = true, Name = $"silo-slot-{slot.Index}" })];
        foreach (var thread in threads) thread.Start();
        logger.LogInformation("Silo {Name} serving {Queue} with {Slots} slot(s)", options.Name, topology.WorkQueue, options.Slots);
    }

    private async Task SetUpAsync(IConnection connection, CancellationToken cancellationToken)
    {
        var broker = options.Broker;
        listenChannel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        await topology.DeclareExchangesAsync(listenChannel, cancellationToken);
        await topology.DeclareWorkQueueAsync(listenChannel, cancellationToken);
        await FanoutListener.StartAsync<HeartbeatMessage>(listenChannel, topology, topology.HeartbeatsExchange, "silo", instance,
            Topology.HeartbeatType, broker.Lease, OnHeartbeatAsync, logger, cancellationToken);
        await FanoutListener.StartAsync<ControlMessage>(listenChannel, topology, topology.ControlExchange, "silo", instance,
            Topology.ControlType, broker.Lease, OnControlAsync, logger, cancellationToken);

        slots = new WorkSlot[options.Slots];
        for (var i = 0; i < slots.Length; i++)
        {
            var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
            // One unacknowledged message per slot: a slot asks for work only while it is idle.
            await channel.BasicQosAsync(0, 1, global: false, cancellationToken);
            slots[i] = new WorkSlot(i, channel);
        }
    }

    /// <summary>
    /// Clean stop: takes no more work, cancels running trials and publishes TrialReleased("silo shutting
    /// down") for each (waiting up to <see cref="BrokerSiloOptions.ShutdownTimeout"/>), then disconnects.
    /// </summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref state, 2) != 1) return;
        await stopping.CancelAsync();
        foreach (var attempt in running.Values) attempt.Stop("silo shutting down");
        if (!await JoinAsync(options.ShutdownTimeout))
        {
            logger.LogWarning("Trials did not report their release within {Timeout} s; leaving them to the clients' leases",
                options.ShutdownTimeout.TotalSeconds);
            await abandon.CancelAsync();
            publisher?.Abandon();
            await JoinAsync(Timeout.InfiniteTimeSpan);
        }

        await CloseAsync(abort: false);
    }

    /// <summary>
    /// For tests: dies as a killed process would, without a word. The connection is cut, nothing more
    /// is published, running grains are stopped only so that their threads end.
    /// </summary>
    internal async Task CrashAsync()
    {
        if (Interlocked.Exchange(ref state, 2) != 1) return;
        await abandon.CancelAsync();
        publisher?.Abandon();
        await stopping.CancelAsync();
        await CloseAsync(abort: true);
        foreach (var attempt in running.Values) attempt.Stop("crashed");
        await JoinAsync(Timeout.InfiniteTimeSpan);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (publisher is not null) await publisher.DisposeAsync();
        connection?.Dispose();
        stopping.Dispose();
        abandon.Dispose();
    }

    private async Task<bool> JoinAsync(TimeSpan timeout)
    {
        var joins = threads.Select(t => Task.Run(() => t.Join(timeout))).ToArray();
        var joined = await Task.WhenAll(joins);
        return joined.All(j => j);
    }

    private async Task CloseAsync(bool abort)
    {
        try
        {
            await heartbeats;
        }
        catch (OperationCanceledException)
        {
        }

        if (connection is null) return;
        try
        {
            if (abort) await connection.AbortAsync(TimeSpan.FromSeconds(2));
            else await connection.CloseAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception ex)
        {
            logger.LogDebug("Closing the broker connection: {Error}", ex.Message);
        }
    }

    private async Task HeartbeatLoopAsync()
    {
        using var timer = new PeriodicTimer(options.Broker.HeartbeatInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping.Token))
                await SendHeartbeatAsync();
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Fire and forget: a lost heartbeat is replaced by the next one, and a stale one is worthless.</summary>
    private async Task SendHeartbeatAsync()
    {
        await heartbeatGate.WaitAsync();
        try
        {
            await PublishHeartbeatAsync();
        }
        finally
        {
            heartbeatGate.Release();
        }
    }

    private async Task PublishHeartbeatAsync()
    {
        if (connection is not { IsOpen: true } open) return;
        var attempts = running.Keys.OrderBy(k => k.Sweep, StringComparer.Ordinal).ThenBy(k => k.TrialId, StringComparer.Ordinal).ToList();
        var heartbeat = new HeartbeatMessage(
            new SiloHeartbeat(options.Name, Environment.MachineName, options.Slots,
                [.. attempts.Select(k => new RunningTrial(k.TrialId, k.Attempt))], time.GetUtcNow()),
            instance,
            [.. attempts.Select(k => k.Sweep)]);
        var properties = WireJson.Properties(Topology.HeartbeatType, persistent: false);
        properties.Expiration = ((long)options.Broker.Lease.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            // Its own channel, replaced if an error closed it (say, someone deleted the exchange): a channel
            // error must not silence the listeners, nor stop the heartbeats for good.
            if (heartbeatChannel is not { IsOpen: true })
            {
                heartbeatChannel?.Dispose();
                heartbeatChannel = await open.CreateChannelAsync();
                await topology.DeclareExchangesAsync(heartbeatChannel, CancellationToken.None);
            }

            await heartbeatChannel.BasicPublishAsync(topology.HeartbeatsExchange, "", mandatory: false, properties, WireJson.Serialize(heartbeat));
        }
        catch (Exception ex)
        {
            logger.LogDebug("Heartbeat not sent: {Error}", ex.Message);
        }
    }

    private Task OnHeartbeatAsync(HeartbeatMessage heartbeat)
    {
        if (heartbeat.Instance != instance) peers.Record(heartbeat, time.GetUtcNow());
        return Task.CompletedTask;
    }

    private Task OnControlAsync(ControlMessage message)
    {
        switch (message.Kind)
        {
            case ControlKind.CancelAttempt when message is { TrialId: { } trial, Attempt: { } attempt }:
                var key = new AttemptKey(message.Sweep, trial, attempt);
                ledger.CancelAttempt(key);
                if (running.TryGetValue(key, out var run))
                {
                    logger.LogInformation("Cancelling {Trial} attempt {Attempt} of sweep {Sweep}", trial, attempt, message.Sweep);
                    run.Stop("cancelled");
                }

                break;
            case ControlKind.CancelSweep:
                ledger.CancelSweep(message.Sweep);
                foreach (var (k, r) in running)
                    if (k.Sweep == message.Sweep) r.Stop("sweep cancelled");
                break;
            case ControlKind.ResumeSweep:
                ledger.ResumeSweep(message.Sweep);
                // A client has just attached: answer at once rather than at the next interval, so it knows its silos
                // (and `status` shows them) even for a sweep shorter than one heartbeat interval. A stopping silo
                // no longer offers itself.
                if (!stopping.IsCancellationRequested) _ = Task.Run(SendHeartbeatAsync);
                break;
        }

        return Task.CompletedTask;
    }

    /// <summary>Whether the sweep's cancelled flag exists (asked on a throwaway channel: a missing queue closes it).</summary>
    private async Task<bool> SweepFlaggedAsync(string sweep)
    {
        if (ledger.IsSweepCancelled(sweep)) return true;
        try
        {
            await using var channel = await connection!.CreateChannelAsync();
            await channel.QueueDeclarePassiveAsync(topology.CancelledFlag(sweep));
            ledger.CancelSweep(sweep);
            return true;
        }
        catch (OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 404)
        {
            return false;
        }
        catch (Exception ex)
        {
            logger.LogDebug("Could not check whether sweep {Sweep} is cancelled ({Error}); assuming not", sweep, ex.Message);
            return false;
        }
    }

    /// <summary>An attempt in progress here and how to stop it (the reason goes into its TrialReleased).</summary>
    private sealed class RunningAttempt
    {
        private readonly CancellationTokenSource cancel = new();

        public CancellationToken Token => cancel.Token;

        public string? Reason { get; private set; }

        public void Stop(string reason)
        {
            Reason ??= reason;
            try
            {
                cancel.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // Ended meanwhile.
            }
        }

        public void Dispose() => cancel.Dispose();
    }
}
