using System.Text.Json;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace VaeSweep.Silo.Broker;

/// <summary>
/// Hears one fanout exchange (heartbeats or control) through this process's own exclusive queue.
/// Auto-acknowledged: these messages are advisory and repeated, so one lost with a connection costs
/// nothing. Topology recovery re-creates the queue, its binding and the consumer after a broker restart.
/// </summary>
internal static class FanoutListener
{
    public static async Task StartAsync<T>(
        IChannel channel,
        Topology topology,
        string exchange,
        string role,
        string id,
        string messageType,
        TimeSpan ttl,
        Func<T, Task> handle,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        var queue = await topology.DeclareListenerAsync(channel, exchange, role, id, ttl, cancellationToken);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            if (WireJson.Mismatch(delivery.BasicProperties, messageType) is { } problem)
            {
                logger.LogError("Dropped a message on {Exchange}: {Problem}", exchange, problem);
                return;
            }

            T message;
            try
            {
                message = WireJson.Deserialize<T>(delivery.Body);
            }
            catch (JsonException ex)
            {
                logger.LogError("Dropped an unreadable message on {Exchange}: {Error}", exchange, ex.Message);
                return;
            }

            try
            {
                await handle(message);
            }
            catch (Exception ex)
            {
                // A handler fault must not kill the consumer, which would silence every later message.
                logger.LogError(ex, "Handling a message from {Exchange} failed", exchange);
            }
        };
        await channel.BasicConsumeAsync(queue, autoAck: true, consumer, cancellationToken);
    }
}
