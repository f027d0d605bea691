using Xunit.Abstractions;

namespace VaeSweep.Client.Tests.Cluster;

/// <summary>Two `run` processes on one database (issue 18.1): one trains, the other is refused; a killed one's successor takes over.</summary>
[Collection(ClusterCollection.Name)]
public sealed class TwoClientsTests(ITestOutputHelper output)
{
    private const int Epochs = 30;

    [Fact]
    public async Task A_second_run_on_the_same_database_is_refused_and_the_first_trains_every_trial_once()
    {
        await using var kit = await ClusterKit.CreateAsync(output);
        var spec = kit.WriteSpec("twice", Epochs, latent: "[2, 3]", trainImages: 20000);
        // A second spec, another sweep name, sharing the latent-3 trial with the first.
        var overlapping = File.ReadAllText(spec).Replace("name: twice", "name: overlap").Replace("latent: [2, 3]", "latent: [3, 4]");
        var overlapSpec = kit.Dir.File("overlap.yaml");
        File.WriteAllText(overlapSpec, overlapping);
        var db = kit.Database("shared.db");
        var first = kit.Start("first", "run", spec, "--db", db.Path, "--slots", "1");
        await kit.WaitUntilAsync("the first client trains", () => db.Poll("SELECT count(*) FROM epochs") >= 1, db, first);
        var statesBefore = db.Rows("SELECT trial_id, status, attempts FROM trials ORDER BY trial_id");

        var second = kit.Start("second", "run", spec, "--db", db.Path, "--slots", "1");
        var secondCode = await second.WaitForExitAsync(ClusterKit.Patience);
        var third = kit.Start("third", "run", overlapSpec, "--db", db.Path, "--slots", "1");
        var thirdCode = await third.WaitForExitAsync(ClusterKit.Patience);
        var statesAfterRefusals = db.Rows("SELECT trial_id, status, attempts FROM trials ORDER BY trial_id");
        var firstCode = await first.WaitForExitAsync(ClusterKit.Patience);

        var context = $"{db.Describe()}\n{kit.Outputs()}";
        Assert.True(secondCode == ExitCodes.Busy, context);
        Assert.True(thirdCode == ExitCodes.Busy, context);
        Assert.Contains("sweep 'twice' is being run by another client", second.Printed);
        Assert.Contains("sweep 'twice', which shares 1 trial(s) with 'overlap',", third.Printed);
        foreach (var refused in new[] { second, third })
        {
            // One line, no stack trace, and nothing written: the refused sweep does not even exist.
            Assert.Single(refused.Printed.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("vaesweep:", StringComparison.Ordinal));
            Assert.DoesNotContain("   at ", refused.Printed);
        }
        Assert.Equal(0L, db.Scalar("SELECT count(*) FROM sweeps WHERE name = 'overlap'"));
        Assert.True(statesBefore.Count == statesAfterRefusals.Count, context);
        Assert.True(firstCode == ExitCodes.Ok, context);
        Assert.Equal(2L, db.Scalar("SELECT count(*) FROM trials WHERE status = 'finished' AND attempts = 1"));
        Assert.Equal(2L * Epochs, db.Scalar("SELECT count(*) FROM epochs WHERE attempt = 1"));
        Assert.Equal("finished", db.Text("SELECT status FROM sweeps WHERE name = 'twice'"));
        Assert.Equal(0L, db.Scalar("SELECT count(*) FROM sweep_leases"));
    }

    [Fact]
    public async Task A_run_killed_mid_sweep_is_taken_over_at_once_by_the_next_on_the_same_host()
    {
        await using var kit = await ClusterKit.CreateAsync(output);
        var spec = kit.WriteSpec("killed", Epochs, latent: "[2, 3]", trainImages: 20000);
        var db = kit.Database("killed.db");
        var first = kit.Start("first", "run", spec, "--db", db.Path, "--slots", "1");
        await kit.WaitUntilAsync("the first client trains", () => db.Poll("SELECT count(*) FROM epochs") >= 2, db, first);
        first.Kill();
        Assert.Equal(1L, db.Scalar("SELECT count(*) FROM sweep_leases"));

        // Well inside the dead client's lease time: its process is gone, so the lease is free now.
        var second = kit.Start("second", "run", spec, "--db", db.Path, "--slots", "1");
        var code = await second.WaitForExitAsync(ClusterKit.Patience);

        var context = $"{db.Describe()}\n{kit.Outputs()}";
        Assert.True(code == ExitCodes.Ok, context);
        Assert.Equal(2L, db.Scalar("SELECT count(*) FROM trials WHERE status = 'finished'"));
        Assert.Equal(2L * Epochs, db.Scalar("SELECT count(*) FROM epochs"));
        Assert.Equal("finished", db.Text("SELECT status FROM sweeps"));
        Assert.Equal(0L, db.Scalar("SELECT count(*) FROM sweep_leases"));
    }
}
