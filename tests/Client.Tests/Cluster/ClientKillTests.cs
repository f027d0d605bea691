using Xunit.Abstractions;

namespace VaeSweep.Client.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class ClientKillTests(ITestOutputHelper output)
{
    private const int Trials = 5;
    private const int Epochs = 25;

    [Fact]
    public async Task A_client_killed_mid_sweep_and_run_again_loses_nothing_and_repeats_nothing()
    {
        await using var kit = await ClusterKit.CreateAsync(output);
        var spec = kit.WriteSpec("orphan", Epochs, latent: "[2, 3, 4, 5, 6]", trainImages: 20000);
        var db = kit.Database("cluster.db");
        await kit.StartSiloAsync("s1");
        await kit.StartSiloAsync("s2");
        var first = kit.StartRun("client1", spec, db.Path);

        bool FinishedAndUnderWay() =>
            db.Poll("SELECT count(*) FROM trials WHERE status = 'finished'") >= 1 &&
            db.Poll("SELECT count(*) FROM trials t WHERE status = 'running' AND (SELECT count(*) FROM epochs e WHERE e.trial_id = t.trial_id) >= 2") >= 1;
        // The client is frozen before the state is read again and it is killed: a trial seen under way could otherwise
        // finish between the look and the kill, leaving nothing running at the kill to follow.
        while (true)
        {
            await kit.WaitUntilAsync("a trial finished and another under way", FinishedAndUnderWay, db, first);
            await first.FreezeAsync();
            if (FinishedAndUnderWay()) break;
            await first.ThawAsync();
        }
        first.Kill();
        // Trained on a silo (epochs stored), not merely given out: the rest were still waiting in the dead client.
        var runningAtKill = db.Rows("SELECT trial_id FROM trials t WHERE status = 'running' AND attempts = 1 AND (SELECT count(*) FROM epochs e WHERE e.trial_id = t.trial_id) >= 1");
        var finishedBefore = FinishedTrials(db);
        var epochsBefore = db.Rows("SELECT trial_id, epoch, attempt, train_objective, valid_elbo FROM epochs ORDER BY trial_id, epoch");
        // The silos train on meanwhile; their grains keep the events for the next client's observer.
        await Task.Delay(TimeSpan.FromSeconds(1));

        var second = kit.StartRun("client2", spec, db.Path);

        Assert.True(await second.WaitForExitAsync(ClusterKit.Patience) == ExitCodes.Ok, kit.Outputs());
        var context = $"{db.Describe()}\n{kit.Outputs()}";
        Assert.Equal(Trials, db.Scalar("SELECT count(*) FROM trials WHERE status = 'finished'"));
        Assert.Equal(Trials * Epochs, db.Scalar("SELECT count(*) FROM epochs"));
        Assert.Equal(2L * Trials, db.Scalar("SELECT count(*) FROM evaluations"));
        Assert.Equal(Trials, db.Scalar("SELECT count(*) FROM results WHERE heldout_ll IS NOT NULL AND test_ll IS NOT NULL"));
        Assert.Contains($"{finishedBefore.Count} already ended", second.Output);
        // What was stored before the kill stays as it was: no trial finished twice, no epoch trained again.
        Assert.Equal(finishedBefore, FinishedTrials(db).Where(r => finishedBefore.Any(f => f.Split('|')[0] == r.Split('|')[0])));
        Assert.Empty(epochsBefore.Except(db.Rows("SELECT trial_id, epoch, attempt, train_objective, valid_elbo FROM epochs ORDER BY trial_id, epoch")));
        ClusterAssert.EpochsContinueAcrossAttempts(db, Epochs, context);
        // Trials running at the kill went on under their first attempt: the new client followed them, none trained twice.
        Assert.NotEmpty(runningAtKill);
        foreach (var trial in runningAtKill)
            Assert.True(db.Text($"SELECT status || '|' || attempts FROM trials WHERE trial_id = '{trial}'") == "finished|1", $"{trial}\n{context}");
        // Trials the dead client had given out but no silo had started yet are given out once more, never again.
        Assert.True(db.Scalar("SELECT max(attempts) FROM trials") <= 2, context);
        Assert.Equal(0L, db.Scalar("SELECT count(*) FROM attempt_failures"));
    }

    private static IReadOnlyList<string> FinishedTrials(SweepDb db) => db.Rows("""
        SELECT t.trial_id, t.attempts, t.host, t.finished_at, t.seconds, v.mean, v.se, te.mean
        FROM trials t JOIN evaluations v ON v.trial_id = t.trial_id AND v.split = 'validation'
                      JOIN evaluations te ON te.trial_id = t.trial_id AND te.split = 'test'
        WHERE t.status = 'finished' ORDER BY t.trial_id
        """);
}
