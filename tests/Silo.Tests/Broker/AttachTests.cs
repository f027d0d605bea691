using Xunit.Abstractions;

namespace VaeSweep.Silo.Tests.Broker;

[Collection(BrokerCollection.Name)]
public sealed class AttachTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_client_that_attaches_hears_every_silo_at_once_rather_than_at_the_next_heartbeat()
    {
        // Heartbeats a minute apart, and both silos sent their first before the client listened: within the
        // test's wait, only the silos' answer to the client's attach can tell the client they are there.
        await using var kit = new BrokerTestKit(output, o => o with { HeartbeatInterval = TimeSpan.FromMinutes(1), Lease = TimeSpan.FromMinutes(3) });
        await kit.SiloAsync("silo-a", 2, new GrainScript().Grain);
        await kit.SiloAsync("silo-b", 1, new GrainScript().Grain);

        var runner = await kit.RunnerAsync("attach");
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (runner.Silos.Count < 2 && DateTime.UtcNow < until) await Task.Delay(50, kit.Token);

        Assert.Equal(["silo-a:2", "silo-b:1"], runner.Silos.Select(s => $"{s.Name}:{s.Slots}").Order());
    }
}
