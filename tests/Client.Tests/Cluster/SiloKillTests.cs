using Xunit.Abstractions;

namespace VaeSweep.Client.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class SiloKillTests(ITestOutputHelper output)
{
    private const int Epochs = 25;

    [Fact]
    public async Task A_silo_killed_mid_trial_leaves_the_trial_to_the_other_silo_which_goes_on_from_the_checkpoint()
    {
        await using var kit = await ClusterKit.CreateAsync(output);
        // 20000 images: a few tenths of a second per epoch, so the kill lands well inside the trial.
        var spec = kit.WriteSpec("crash", Epochs, latent: "[2]", trainImages: 20000);
        var db = kit.Database("cluster.db");
        var reference = kit.Database("embedded.db");
        var silos = new Dictionary<string, VaesweepProcess> { ["s1"] = await kit.StartSiloAsync("s1"), ["s2"] = await kit.StartSiloAsync("s2") };
        var run = kit.StartRun("client", spec, db.Path);

        await kit.WaitUntilAsync("a checkpoint after two epochs stored from a silo",
            () => db.Poll("SELECT coalesce(max(epoch), 0) FROM checkpoints") >= 2 && db.Poll("SELECT count(*) FROM trials WHERE host IN ('s1', 's2')") == 1, db, run);
        var victim = db.Text("SELECT host FROM trials");
        var checkpointedBeforeKill = db.Scalar("SELECT max(epoch) FROM checkpoints");
        var survivor = victim == "s1" ? "s2" : "s1";
        silos[victim].Kill();
        // The uninterrupted run to compare with, in this test's spare time.
        var embedded = kit.Start("embedded", "run", spec, "--db", reference.Path, "--slots", "1");
        await kit.WaitUntilAsync("the trial given out again once Orleans declared the silo dead", () => db.Poll("SELECT attempts FROM trials") >= 2, db, run);
        // The dead silo's activation went with it, so attempt 1 has stored all it ever will.
        var storedByFirst = db.Scalar("SELECT count(*) FROM epochs WHERE attempt = 1");

        Assert.True(await run.WaitForExitAsync(ClusterKit.Patience) == ExitCodes.Ok, kit.Outputs());
        Assert.True(await embedded.WaitForExitAsync(ClusterKit.Patience) == ExitCodes.Ok, kit.Outputs());
        var context = $"{db.Describe()}\n{kit.Outputs()}";
        Assert.Equal($"finished|{survivor}", db.Text("SELECT status || '|' || host FROM trials"));
        Assert.True(storedByFirst is >= 2 and < Epochs, $"attempt 1 stored {storedByFirst} epochs\n{context}");
        Assert.Equal(1L, db.Scalar("SELECT count(*) FROM results"));
        Assert.Equal(2L, db.Scalar("SELECT count(*) FROM evaluations"));
        ClusterAssert.EpochsContinueAcrossAttempts(db, Epochs, context);
        // Attempt 1's epochs keep their attempt up to its last stored checkpoint, where the next began. That can be
        // several epochs before its last stored epoch: a silo keeps only its newest undelivered checkpoint, behind
        // the epochs it has not delivered yet, so a slow client stores epochs ahead of the checkpoint.
        var keptByFirst = db.Scalar("SELECT count(*) FROM epochs WHERE attempt = 1");
        Assert.True(keptByFirst >= checkpointedBeforeKill && keptByFirst <= storedByFirst,
            $"attempt 1 stored {storedByFirst} epochs and a checkpoint after {checkpointedBeforeKill}; {keptByFirst} remain\n{context}");
        // Bit for bit what an uninterrupted run gives: resuming changed nothing.
        Assert.Equal(ClusterAssert.Metrics(reference), ClusterAssert.Metrics(db));
    }
}
