using Xunit.Abstractions;

namespace VaeSweep.Client.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class JoinAndDashboardTests(ITestOutputHelper output)
{
    // A silo takes ~5 s to join and the client a few more to give it work. Eight 30-epoch trials lasted 14 s on one
    // slot of a fast machine, and the late silo, joined at 7 s, was not given any before they ran out; 100-epoch
    // trials keep work waiting for half a minute after it joins.
    private const int Epochs = 100;

    [Fact]
    public async Task A_silo_that_joins_mid_sweep_gets_work_and_serves_the_dashboard_on_loopback()
    {
        await using var kit = await ClusterKit.CreateAsync(output);
        var spec = kit.WriteSpec("join", Epochs, latent: "[2, 3, 4, 5, 6, 7, 8, 9]", trainImages: 20000);
        var db = kit.Database("cluster.db");
        await kit.StartSiloAsync("s1");
        var run = kit.StartRun("client", spec, db.Path);
        await kit.WaitUntilAsync("the first silo trains", () => db.Poll("SELECT count(*) FROM epochs") >= 1, db, run);

        var dashboard = ClusterKit.Port();
        var late = await kit.StartSiloAsync("late", 1, "--dashboard", dashboard);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var page = await http.GetStringAsync($"http://127.0.0.1:{dashboard}/");

        Assert.True(await run.WaitForExitAsync(ClusterKit.Patience) == ExitCodes.Ok, kit.Outputs());
        var context = $"{db.Describe()}\n{kit.Outputs()}";
        Assert.Contains("Orleans Dashboard", page);
        Assert.True(db.Scalar("SELECT count(*) FROM trials WHERE host = 'late'") >= 1, $"the late silo got no work\n{context}");
        Assert.Equal(8L, db.Scalar("SELECT count(*) FROM trials WHERE status = 'finished' AND attempts = 1"));
        Assert.False(late.HasExited, context);
    }
}
