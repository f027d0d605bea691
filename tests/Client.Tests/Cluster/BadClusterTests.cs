using VaeSweep.Silo;
using Xunit.Abstractions;

namespace VaeSweep.Client.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class BadClusterTests(ITestOutputHelper output)
{
    private const int Epochs = 25;

    [Fact]
    public async Task Unreachable_redis_exits_4_malformed_address_exits_1_empty_cluster_exits_8_and_the_database_stays_as_it_was()
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
        var nobody = $"redis://127.0.0.1:{ClusterKit.NextPort()}/x";

        var unreachable = kit.Start("unreachable", "run", spec, "--db", db.Path, "--cluster", nobody);
        var silo = kit.Start("silo", "silo", "--cluster", nobody, "--name", "s1");
        var malformed = kit.Start("malformed", "run", spec, "--db", db.Path, "--cluster", "amqp://localhost:5672/");
        var empty = kit.Start("empty", "run", spec, "--db", db.Path, "--cluster", kit.Cluster);
        var emptyStatus = kit.Start("status", "status", "--db", db.Path, "--cluster", kit.Cluster);

        Assert.True(await unreachable.WaitForExitAsync(ClusterKit.Patience) == ExitCodes.ClusterUnreachable, kit.Outputs());
        Assert.True(await silo.WaitForExitAsync(ClusterKit.Patience) == ExitCodes.ClusterUnreachable, kit.Outputs());
        Assert.True(await malformed.WaitForExitAsync(ClusterKit.Patience) == ExitCodes.Usage, kit.Outputs());
        Assert.True(await empty.WaitForExitAsync(ClusterKit.Patience) == ExitCodes.NoSilos, kit.Outputs());
        Assert.True(await emptyStatus.WaitForExitAsync(ClusterKit.Patience) == ExitCodes.NoSilos, kit.Outputs());
        Assert.Contains($"{nobody}: cannot reach Redis", unreachable.Printed);
        Assert.Contains($"{nobody}: cannot reach Redis", silo.Printed);
        Assert.Contains("--cluster: expected redis://HOST:PORT[/CLUSTER]", malformed.Printed);
        Assert.Contains("no silo of the cluster answered", empty.Printed);
        Assert.Contains("vaesweep silo --cluster", empty.Printed);
        Assert.Equal(before, Snapshot(db));

        // Nothing broke: the same database, run again where trials can run, finishes the trial from its checkpoint.
        var resumed = kit.Start("resumed", "run", spec, "--db", db.Path, "--slots", "1");
        Assert.True(await resumed.WaitForExitAsync(ClusterKit.Patience) == ExitCodes.Ok, kit.Outputs());
        Assert.Equal("finished|2", db.Text("SELECT status || '|' || attempts FROM trials"));
        ClusterAssert.EpochsContinueAcrossAttempts(db, Epochs, $"{db.Describe()}\n{kit.Outputs()}");
        Assert.True(db.Scalar("SELECT count(*) FROM epochs WHERE attempt = 1") >= 1, db.Describe());
    }

    [Fact]
    public async Task No_database_file_appears_when_the_cluster_is_unreachable()
    {
        await using var kit = await ClusterKit.CreateAsync(output);
        var spec = kit.WriteSpec("nothing", 2, latent: "[2]");
        var path = kit.Dir.File("never.db");

        var run = kit.Start("client", "run", spec, "--db", path, "--cluster", $"redis://127.0.0.1:{ClusterKit.NextPort()}");

        Assert.True(await run.WaitForExitAsync(ClusterKit.Patience) == ExitCodes.ClusterUnreachable, kit.Outputs());
        Assert.False(File.Exists(path), kit.Outputs());
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
