using RabbitMQ.Client;
using VaeSweep.Silo.Broker;

namespace VaeSweep.Tests.Shared;

/// <summary>Deletes every durable queue and exchange a test made under its own prefix, so the broker ends as it began.</summary>
internal static class BrokerCleanup
{
    public static async Task DeleteAsync(string uri, Topology topology, IEnumerable<string> sweeps)
    {
        var factory = new ConnectionFactory { Uri = new Uri(uri) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeleteAsync(topology.WorkQueue);
        foreach (var sweep in sweeps)
        {
            await channel.QueueDeleteAsync(topology.EventsQueue(sweep));
            await channel.QueueDeleteAsync(topology.CancelledFlag(sweep));
        }

        await channel.ExchangeDeleteAsync(topology.HeartbeatsExchange);
        await channel.ExchangeDeleteAsync(topology.ControlExchange);
    }
}
