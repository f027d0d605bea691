using Xunit.Abstractions;

namespace VaeSweep.Client.Tests.Cluster;

/// <summary>`rm` of a sweep another live `run` holds is refused (busy), naming the holder; once the holder is dead, it works.</summary>
[Collection(ClusterCollection.Name)]
public sealed class RmWhileRunningTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Rm_is_refused_while_a_live_run_holds_the_sweep_and_works_once_it_is_killed()
    {
        await using var kit = await ClusterKit.CreateAsync(output);
        // Epochs enough that the run is still training whatever the load: the test kills it.
        var spec = kit.WriteSpec("held", epochs: 100_000, latent: "[2]");
        var db = kit.Database("held.db");
        var run = kit.Start("run", "run", spec, "--db", db.Path, "--slots", "1");
        await kit.WaitUntilAsync("the run trains", () => db.Poll("SELECT count(*) FROM epochs") >= 1, db, run);

        var refused = kit.Start("rm-refused", "rm", "held", "--db", db.Path, "--yes");
        var refusedCode = await refused.WaitForExitAsync(ClusterKit.Patience);
        var context = $"{db.Describe()}\n{kit.Outputs()}";
        Assert.True(refusedCode == ExitCodes.Busy, context);
        var line = Assert.Single(refused.Printed.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"sweep 'held' is being run by another client (pid {run.Id} on {Environment.MachineName}", line);
        Assert.Contains("nothing was removed", line);
        // The sweep, its trial and the run's lease are all still there, and the run trains on.
        Assert.Equal(1L, db.Scalar("SELECT count(*) FROM sweeps WHERE name = 'held'"));
        Assert.Equal(1L, db.Scalar("SELECT count(*) FROM trials"));
        var epochs = db.Scalar("SELECT count(*) FROM epochs");
        await kit.WaitUntilAsync("the run trains on", () => db.Poll("SELECT count(*) FROM epochs") > epochs, db, run);
        Assert.Equal(1L, db.Scalar("SELECT count(*) FROM sweep_leases"));

        // kill -9: the lease stays behind, live by the clock, but its process is gone from this host.
        run.Kill();
        var removed = kit.Start("rm", "rm", "held", "--db", db.Path, "--yes");
        var removedCode = await removed.WaitForExitAsync(ClusterKit.Patience);
        context = $"{db.Describe()}\n{kit.Outputs()}";
        Assert.True(removedCode == ExitCodes.Ok, context);
        Assert.Contains("removed sweep held", removed.Printed);
        Assert.Equal(0L, db.Scalar("SELECT count(*) FROM sweeps"));
        Assert.Equal(0L, db.Scalar("SELECT count(*) FROM trials"));
        Assert.Equal(0L, db.Scalar("SELECT count(*) FROM sweep_leases"));
    }
}
