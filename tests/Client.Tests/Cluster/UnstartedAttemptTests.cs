using Xunit.Abstractions;

namespace VaeSweep.Client.Tests.Cluster;

/// <summary>
/// An attempt given out but never started (issue 18.7) counts in <c>attempts</c> and not in <c>started_attempts</c>:
/// with one slot, the second trial waits in the client's queue, given out, until the client is killed.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class UnstartedAttemptTests(ITestOutputHelper output)
{
    private const int Epochs = 30;

    [Fact]
    public async Task An_attempt_lost_in_the_queue_of_a_killed_client_is_given_but_not_started()
    {
        await using var kit = await ClusterKit.CreateAsync(output);
        var spec = kit.WriteSpec("queued", Epochs, latent: "[2, 3]", trainImages: 20000);
        var db = kit.Database("queued.db");
        var first = kit.Start("first", "run", spec, "--db", db.Path, "--slots", "1");

        // One trial trains on the only slot; the other is given out (attempt 1, running) but no silo has started it.
        bool OneTrainsOneQueued() =>
            db.Poll("SELECT count(*) FROM trials t WHERE status = 'running' AND (SELECT count(*) FROM epochs e WHERE e.trial_id = t.trial_id) >= 1") == 1 &&
            db.Poll("SELECT count(*) FROM trials WHERE status = 'running' AND attempts = 1 AND (host IS NULL OR host = '')") == 1;
        // Frozen before the state is read again and the client killed: the queued trial cannot start in between.
        while (true)
        {
            await kit.WaitUntilAsync("one trial trains, one is queued", OneTrainsOneQueued, db, first);
            await first.FreezeAsync();
            if (OneTrainsOneQueued()) break;
            await first.ThawAsync();
        }
        first.Kill();
        var queued = db.Text("SELECT trial_id FROM trials WHERE status = 'running' AND (host IS NULL OR host = '')");
        var trained = db.Text($"SELECT trial_id FROM trials WHERE trial_id <> '{queued}'");
        Assert.Equal("1|0", db.Text($"SELECT attempts || '|' || started_attempts FROM results WHERE trial_id = '{queued}'"));
        Assert.Equal("1|1", db.Text($"SELECT attempts || '|' || started_attempts FROM results WHERE trial_id = '{trained}'"));

        var second = kit.Start("second", "run", spec, "--db", db.Path, "--slots", "1");
        var code = await second.WaitForExitAsync(ClusterKit.Patience);
        var context = $"{db.Describe()}\n{kit.Outputs()}";
        Assert.True(code == ExitCodes.Ok, context);
        Assert.Equal(2L, db.Scalar("SELECT count(*) FROM trials WHERE status = 'finished'"));
        // The queued trial was trained once, by its second attempt; the first never ran.
        Assert.True(db.Text($"SELECT attempts || '|' || started_attempts FROM results WHERE trial_id = '{queued}'") == "2|1", context);
        Assert.Equal(2L, db.Scalar($"SELECT attempt FROM attempt_starts WHERE trial_id = '{queued}'"));
        Assert.NotEqual("", db.Text($"SELECT host FROM attempt_starts WHERE trial_id = '{queued}'"));
        // The trial that was training when the client died started every attempt it was given.
        Assert.True(db.Scalar($"SELECT attempts - started_attempts FROM results WHERE trial_id = '{trained}'") == 0, context);
    }
}
