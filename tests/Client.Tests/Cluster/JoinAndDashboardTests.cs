using Xunit.Abstractions;

namespace VaeSweep.Client.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class JoinAndDashboardTests(ITestOutputHelper output)
{
    // A silo takes ~5 s to join, and work goes to it only once the first silo's placement knows it (its cluster
    // manifest), which took more than 12 s on a loaded CI host: eight 100-epoch trials of these tiny images ran
    // out 12 s after the late silo joined, and it got none. Sixteen 200-epoch trials last about half a minute on
    // one slot.
    private const int Epochs = 200;
    private const int Trials = 16;

    [Fact]
    public async Task A_silo_that_joins_mid_sweep_gets_work_and_serves_the_dashboard_on_loopback()
    {
        await using var kit = await ClusterKit.CreateAsync(output);
        var spec = kit.WriteSpec("join", Epochs, latent: $"[{string.Join(", ", Enumerable.Range(2, Trials))}]", trainImages: 20000);
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
        Assert.Equal(Trials, db.Scalar("SELECT count(*) FROM trials WHERE status = 'finished' AND attempts = 1"));
        Assert.False(late.HasExited, context);
    }
}
