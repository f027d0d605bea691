using Xunit.Abstractions;

namespace VaeSweep.Client.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class PoisonTrialTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_trial_that_throws_in_every_grain_fails_after_its_attempts_while_the_rest_of_the_sweep_finishes()
    {
        await using var kit = await ClusterKit.CreateAsync(output);
        // A valid spec, but a latent of 10^8 makes a model too big for one array: the grain throws on every silo.
        var spec = kit.WriteSpec("poison", epochs: 5, latent: "[2, 100000000, 3]");
        var db = kit.Database("cluster.db");
        await kit.StartSiloAsync("s1");
        await kit.StartSiloAsync("s2");

        var run = kit.StartRun("client", spec, db.Path, "--max-failures", "2");
        var code = await run.WaitForExitAsync(ClusterKit.Patience);

        var context = $"{db.Describe()}\n{kit.Outputs()}";
        Assert.True(code == ExitCodes.TrialsFailed, context);
        Assert.Contains("failed or diverged", run.Output);
        Assert.Equal("failed|2", db.Text("SELECT status || '|' || attempts FROM trials WHERE latent = 100000000"));
        Assert.Contains("more than one array can hold", db.Text("SELECT error FROM trials WHERE latent = 100000000"));
        Assert.Contains("after 2 failed attempts", db.Text("SELECT error FROM trials WHERE latent = 100000000"));
        Assert.Equal(2L, db.Scalar("SELECT count(*) FROM attempt_failures f JOIN trials t ON t.trial_id = f.trial_id WHERE t.latent = 100000000"));
        Assert.Equal(0L, db.Scalar("SELECT count(*) FROM epochs e JOIN trials t ON t.trial_id = e.trial_id WHERE t.latent = 100000000"));
        Assert.Equal(0L, db.Scalar("SELECT count(*) FROM evaluations e JOIN trials t ON t.trial_id = e.trial_id WHERE t.latent = 100000000"));
        // The poison took no one down with it: the other trials finished at their first attempt.
        Assert.Equal(2L, db.Scalar("SELECT count(*) FROM trials WHERE status = 'finished' AND attempts = 1 AND latent IN (2, 3)"));
        Assert.Equal(4L, db.Scalar("SELECT count(*) FROM evaluations e JOIN trials t ON t.trial_id = e.trial_id WHERE t.latent IN (2, 3)"));
        Assert.Equal("finished", db.Text("SELECT status FROM sweeps WHERE name = 'poison'"));
    }
}
