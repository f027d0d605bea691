using Xunit.Abstractions;

namespace VaeSweep.Client.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class TwoSiloSweepTests(ITestOutputHelper output)
{
    private const string Training =
        "trials t WHERE status = 'running' AND EXISTS (SELECT 1 FROM epochs e WHERE e.trial_id = t.trial_id AND e.attempt = t.attempts AND e.epoch >= 2)";

    private const int Epochs = 20;

    [Fact]
    public async Task A_sweep_over_two_silo_processes_stores_every_trials_results_from_both()
    {
        await using var kit = await ClusterKit.CreateAsync(output);
        // Twenty epochs, so each trial trains for seconds: a fast machine once ran all four in 1.6 s, too briefly for
        // the poll below to see both silos busy at once.
        var spec = kit.WriteSpec("pair", epochs: Epochs, latent: "[2, 3, 4, 5]", trainImages: 20000);
        var db = kit.Database("r.db");
        var s1 = await kit.StartSiloAsync("s1");
        var s2 = await kit.StartSiloAsync("s2");

        var run = kit.StartRun("client", spec, db.Path);
        // While it runs, how many trials each silo is training: running trials of which the current attempt has
        // stored its second epoch. A trial just given to a silo counts only from then: a whole epoch after it began,
        // by when the result of the trial it follows there (delivered by another observer, so in no fixed order with
        // this one's events) is long stored. On a fast machine a first epoch can arrive before that result.
        var mostAtOnce = 0L;
        var seenTogether = false;
        var waitForExit = run.WaitForExitAsync(ClusterKit.Patience);
        while (!waitForExit.IsCompleted)
        {
            mostAtOnce = Math.Max(mostAtOnce, db.Poll($"SELECT coalesce(max(n), 0) FROM (SELECT host, count(*) AS n FROM {Training} GROUP BY host)"));
            seenTogether |= db.Poll($"SELECT count(DISTINCT host) FROM {Training}") == 2;
            await Task.WhenAny(waitForExit, Task.Delay(50));
        }

        var code = await waitForExit;

        Assert.True(code == ExitCodes.Ok, kit.Outputs());
        var state = db.Describe();
        Assert.Equal(4L, db.Scalar("SELECT count(*) FROM trials WHERE status = 'finished' AND attempts = 1"));
        Assert.Equal(4L * Epochs, db.Scalar("SELECT count(*) FROM epochs WHERE attempt = 1"));
        Assert.Equal(8L, db.Scalar("SELECT count(*) FROM evaluations WHERE mean IS NOT NULL AND mean > mean_elbo - 1e-9"));
        // Both silos trained: they were serving before any work went out, each one slot wide.
        Assert.True(db.Rows("SELECT DISTINCT host FROM trials ORDER BY host").SequenceEqual(["s1", "s2"]), state);
        Assert.True(mostAtOnce == 1, $"a silo of one slot trained {mostAtOnce} trials at once\n{state}\n{kit.Outputs()}");
        Assert.True(seenTogether, $"the two silos never trained at the same time\n{state}\n{kit.Outputs()}");
        Assert.Equal(["s1", "s2"], db.Rows("SELECT name FROM silos WHERE name IN ('s1', 's2') ORDER BY name"));
        Assert.False(s1.HasExited || s2.HasExited, kit.Outputs());
    }
}
