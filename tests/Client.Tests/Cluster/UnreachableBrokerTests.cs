using Xunit.Abstractions;

namespace VaeSweep.Client.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class UnreachableBrokerTests(ITestOutputHelper output)
{
    private const int Epochs = 25;

    // Nothing listens on port 1; the password must never be printed.
    private const string Password = "Pw-only-in-the-uri";
    private const string Unreachable = $"amqp://guest:{Password}@localhost:1/";

    [Fact]
    public async Task Run_and_silo_exit_4_naming_the_broker_but_not_the_password_and_leave_the_database_as_it_was()
    {
        await using var kit = await ClusterKit.CreateAsync(output);
        var spec = kit.WriteSpec("offline", Epochs, latent: "[2]", trainImages: 20000);
        var db = kit.Database("r.db");
        // A database with a trial caught mid-run: an embedded run killed after a few epochs.
        var embedded = kit.Start("embedded", "run", spec, "--db", db.Path, "--slots", "1");
        await kit.WaitUntilAsync("two epochs stored", () => db.Poll("SELECT count(*) FROM epochs") >= 2, db, embedded);
        embedded.Kill();
        var before = Snapshot(db);
        Assert.Equal("running", db.Text("SELECT status FROM trials"));

        var run = kit.Start("client", "run", spec, "--db", db.Path, "--broker", Unreachable);
        var silo = kit.Start("silo", "silo", "--broker", Unreachable, "--name", "s1");
        var runCode = await run.WaitForExitAsync(ClusterKit.Patience);
        var siloCode = await silo.WaitForExitAsync(ClusterKit.Patience);

        Assert.True(runCode == ExitCodes.BrokerUnavailable, kit.Outputs());
        Assert.True(siloCode == ExitCodes.BrokerUnavailable, kit.Outputs());
        foreach (var process in new[] { run, silo })
        {
            Assert.Contains("vaesweep: cannot reach the broker at amqp://***@localhost:1/", process.Printed);
            Assert.DoesNotContain(Password, process.Printed);
        }

        Assert.Equal(before, Snapshot(db));

        // Nothing broke: the same database, run again where trials can run, finishes the trial from its checkpoint.
        var resumed = kit.Start("resumed", "run", spec, "--db", db.Path, "--slots", "1");
        Assert.True(await resumed.WaitForExitAsync(ClusterKit.Patience) == ExitCodes.Ok, kit.Outputs());
        Assert.Equal("finished|2", db.Text("SELECT status || '|' || attempts FROM trials"));
        ClusterAssert.EpochsContinueAcrossAttempts(db, Epochs, $"{db.Describe()}\n{kit.Outputs()}");
        Assert.True(db.Scalar("SELECT count(*) FROM epochs WHERE attempt = 1") >= 1, db.Describe());
    }

    private static IReadOnlyList<string> Snapshot(SweepDb db) =>
    [
        .. db.Rows("SELECT name, spec_sha256, status FROM sweeps ORDER BY name"),
        .. db.Rows("SELECT trial_id, status, attempts, host, started_at, finished_at, error FROM trials ORDER BY trial_id"),
        .. db.Rows("SELECT trial_id, epoch, attempt, train_objective, valid_elbo FROM epochs ORDER BY trial_id, epoch"),
        .. db.Rows("SELECT trial_id, epoch, attempt, sha256 FROM checkpoints ORDER BY trial_id"),
        .. db.Rows("SELECT trial_id, split, mean FROM evaluations ORDER BY trial_id, split"),
        .. db.Rows("SELECT trial_id, attempt FROM attempt_failures ORDER BY trial_id, attempt"),
    ];
}
