using Xunit.Abstractions;

namespace VaeSweep.Client.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class SiloShutdownTests(ITestOutputHelper output)
{
    private const int Epochs = 25;

    [Fact]
    public async Task A_silo_stopped_by_SIGTERM_hands_its_trial_back_and_the_other_silo_finishes_it()
    {
        await using var kit = await ClusterKit.CreateAsync(output);
        var spec = kit.WriteSpec("leave", Epochs, latent: "[2]", trainImages: 20000);
        var db = kit.Database("cluster.db");
        var silos = new Dictionary<string, VaesweepProcess> { ["s1"] = await kit.StartSiloAsync("s1"), ["s2"] = await kit.StartSiloAsync("s2") };
        var run = kit.StartRun("client", spec, db.Path);

        await kit.WaitUntilAsync("two epochs stored from a silo",
            () => db.Poll("SELECT count(*) FROM epochs") >= 2 && db.Poll("SELECT count(*) FROM trials WHERE host IN ('s1', 's2')") == 1, db, run);
        var leaving = db.Text("SELECT host FROM trials");
        var survivor = leaving == "s1" ? "s2" : "s1";
        await silos[leaving].TerminateAsync();
        var stopped = await silos[leaving].WaitForExitAsync(ClusterKit.Patience);
        await kit.WaitUntilAsync("the trial given out again", () => db.Poll("SELECT attempts FROM trials") >= 2, db, run);
        var storedByFirst = db.Scalar("SELECT count(*) FROM epochs WHERE attempt = 1");

        Assert.True(await run.WaitForExitAsync(ClusterKit.Patience) == ExitCodes.Ok, kit.Outputs());
        var context = $"{db.Describe()}\n{kit.Outputs()}";
        Assert.True(stopped == ExitCodes.Ok, $"silo {leaving} exited {stopped} on SIGTERM\n{context}");
        Assert.Contains("stopping", silos[leaving].Output);
        // Handed back, not lost: released by the silo itself, so exactly one more attempt.
        Assert.Equal($"finished|2|{survivor}", db.Text("SELECT status || '|' || attempts || '|' || host FROM trials"));
        Assert.DoesNotContain("left the cluster", kit.Outputs());
        Assert.Equal(2L, db.Scalar("SELECT count(*) FROM evaluations"));
        ClusterAssert.EpochsContinueAcrossAttempts(db, Epochs, context);
        // A clean stop sends every finished epoch's checkpoint before the release: attempt 2 repeats none of them.
        Assert.True(storedByFirst >= 2, context);
        Assert.Equal(storedByFirst, db.Scalar("SELECT count(*) FROM epochs WHERE attempt = 1"));
        Assert.Equal(Epochs - storedByFirst, db.Scalar("SELECT count(*) FROM epochs WHERE attempt = 2"));
    }
}
