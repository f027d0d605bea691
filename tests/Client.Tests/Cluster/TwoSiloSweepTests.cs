using Xunit.Abstractions;

namespace VaeSweep.Client.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class TwoSiloSweepTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_sweep_over_two_silo_processes_stores_every_trials_results_from_both()
    {
        await using var kit = await ClusterKit.CreateAsync(output);
        var spec = kit.WriteSpec("pair", epochs: 8, latent: "[2, 3, 4, 5]", trainImages: 6000);
        var db = kit.Database("r.db");
        var s1 = await kit.StartSiloAsync("s1");
        var s2 = await kit.StartSiloAsync("s2");

        var run = kit.StartRun("client", spec, db.Path);
        var code = await run.WaitForExitAsync(ClusterKit.Patience);

        Assert.True(code == ExitCodes.Ok, kit.Outputs());
        var state = db.Describe();
        Assert.Equal(4L, db.Scalar("SELECT count(*) FROM trials WHERE status = 'finished' AND attempts = 1"));
        Assert.Equal(4L * 8, db.Scalar("SELECT count(*) FROM epochs WHERE attempt = 1"));
        Assert.Equal(8L, db.Scalar("SELECT count(*) FROM evaluations WHERE mean IS NOT NULL AND mean > mean_elbo - 1e-9"));
        // Both silos trained: they were serving before any work went out, each one slot wide.
        Assert.True(db.Rows("SELECT DISTINCT host FROM trials ORDER BY host").SequenceEqual(["s1", "s2"]), state);
        Assert.Equal(["s1", "s2"], db.Rows("SELECT name FROM silos WHERE name IN ('s1', 's2') ORDER BY name"));
        Assert.False(s1.HasExited || s2.HasExited, kit.Outputs());
    }
}
