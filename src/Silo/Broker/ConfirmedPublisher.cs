using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace VaeSweep.Silo.Broker;

/// <summary>
/// Publishes a message and returns only once the broker has confirmed it (written it to the queue, on
/// disk when persistent). While the broker is away it retries until the connection recovers, so a caller
/// never sees a transient failure; it gives up only when its caller or <see cref="Abandon"/> says so.
/// A message may thus be delivered twice (a confirm lost with the connection): receivers are idempotent.
/// </summary>
internal sealed class ConfirmedPublisher : IAsyncDisposable
{
    // A confirm is normally milliseconds away; this only unsticks a publish lost in a connection that died quietly.
    private static readonly TimeSpan ConfirmTimeout = TimeSpan.FromSeconds(30);

    private readonly IConnection connection;
    private readonly TimeSpan retryInterval;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly CancellationTokenSource abandoned = new();
    private readonly HashSet<string> declared = [];
    private IChannel? channel;

    public ConfirmedPublisher(IConnection connection, TimeSpan retryInterval, TimeProvider time, ILogger logger)
    {
        this.connection = connection;
        this.retryInterval = retryInterval;
        this.time = time;
        this.logger = logger;
    }

    /// <summary>
    /// Publishes to <paramref name="routingKey"/> on <paramref name="exchange"/>. A <paramref name="mandatory"/>
    /// message that no queue takes is retried after <paramref name="declare"/> runs again (someone deleted the
    /// queue); broadcasts are not mandatory, since nobody listening is a normal state.
    /// </summary>
    /// <param name="declare">Declares the destination before the first publish to it on a channel; may be null.</param>
    /// <exception cref="OperationCanceledException">The caller cancelled, or the publisher was abandoned.</exception>
    public async Task PublishAsync(
        string exchange,
        string routingKey,
        bool mandatory,
        BasicProperties properties,
        ReadOnlyMemory<byte> body,
        Func<IChannel, CancellationToken, Task>? declare,
        CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, abandoned.Token);
        var failures = 0;
        while (true)
        {
            await gate.WaitAsync(stop.Token);
            try
            {
                var open = await OpenChannelAsync(stop.Token);
                var destination = exchange + "/" + routingKey;
                if (declare is not null && !declared.Contains(destination))
                {
                    await declare(open, stop.Token);
                    declared.Add(destination);
                }

                using var confirm = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
                confirm.CancelAfter(ConfirmTimeout);
                await open.BasicPublishAsync(exchange, routingKey, mandatory, properties, body, confirm.Token);
                if (failures > 0)
                    logger.LogInformation("Published to {Destination} after {Failures} failed attempt(s)", destination, failures);
                return;
            }
            catch (Exception ex) when (!stop.IsCancellationRequested)
            {
                failures++;
                if (ex is PublishException { IsReturn: true })
                    declared.Clear();
                // Loud once, then quiet: a broker restart would otherwise flood the log.
                var level = failures == 1 || failures % 30 == 0 ? LogLevel.Warning : LogLevel.Debug;
                logger.Log(level, "Publishing to {Exchange}/{Queue} failed ({Error}); retrying every {Interval} s (attempt {Failures})",
                    exchange == "" ? "(default)" : exchange, routingKey, ex.Message, retryInterval.TotalSeconds, failures);
            }
            finally
            {
                gate.Release();
            }

            await Task.Delay(retryInterval, time, stop.Token);
        }
    }

    /// <summary>Makes every pending and future publish throw at once (shutdown deadline, or a simulated crash).</summary>
    public void Abandon() => abandoned.Cancel();

    public async ValueTask DisposeAsync()
    {
        Abandon();
        await gate.WaitAsync();
        try
        {
            if (channel is not null) await CloseQuietlyAsync(channel);
            channel = null;
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<IChannel> OpenChannelAsync(CancellationToken cancellationToken)
    {
        // Recovery brings back a channel the connection lost; a channel the broker closed for an error
        // (connection still open) stays closed and is replaced.
        if (channel is { IsClosed: true } && connection.IsOpen)
        {
            await CloseQuietlyAsync(channel);
            channel = null;
        }

        if (channel is null)
        {
            channel = await connection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true),
                cancellationToken);
            declared.Clear();
        }

        return channel;
    }

    private static async Task CloseQuietlyAsync(IChannel channel)
    {
        try
        {
            await channel.CloseAsync();
        }
        catch (Exception)
        {
            // Already closed with its connection: nothing left to release but the object.
        }

        channel.Dispose();
    }
}
