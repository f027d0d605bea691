using RabbitMQ.Client;
using VaeSweep.Grains.Contracts;
using Xunit.Abstractions;

namespace VaeSweep.Silo.Tests.Broker;

[Collection(BrokerCollection.Name)]
public sealed class PoisonWorkTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Work_handed_out_too_often_without_starting_is_failed_not_run()
    {
        await using var kit = new BrokerTestKit(output);
        var script = new GrainScript();
        var runner = await kit.RunnerAsync("poison");
        await runner.SubmitAsync(BrokerTestKit.Work("poison", "t1"), kit.Token);

        // Five silos "die" holding it: each takes the message and gives it back unacknowledged.
        var factory = new ConnectionFactory { Uri = new Uri(BrokerTestKit.Uri) };
        await using (var connection = await factory.CreateConnectionAsync(kit.Token))
        await using (var channel = await connection.CreateChannelAsync(cancellationToken: kit.Token))
        {
            for (var i = 0; i < 5; i++)
            {
                var taken = await channel.BasicGetAsync(kit.Topology.WorkQueue, autoAck: false, kit.Token);
                Assert.NotNull(taken);
                await channel.BasicNackAsync(taken.DeliveryTag, multiple: false, requeue: true, kit.Token);
            }
        }

        await kit.SiloAsync("careful", 1, script.Grain);
        var events = await EventLog.CollectAsync(runner, EventLog.Has<TrialFailed>("t1"), kit.Token);

        Assert.Equal("its work was handed to silos 5 times without the trial starting: a silo probably died loading it",
            events.OfType<TrialFailed>().Single().Error);
        Assert.DoesNotContain(events, e => e is TrialStarted);
        Assert.Equal(0u, await kit.CountAsync(kit.Topology.WorkQueue));
    }
}
