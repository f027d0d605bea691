using VaeSweep.Client.Tests.Fixtures;
using VaeSweep.Client.Tests.Scheduling;
using Xunit.Abstractions;

namespace VaeSweep.Client.Tests.Cluster;

/// <summary>Early stopping on two silo processes, one of them killed mid-sweep: the decisions of the embedded silo.</summary>
[Collection(ClusterCollection.Name)]
public sealed class EarlyStoppingClusterTests(ITestOutputHelper output)
{
    [Fact]
    public async Task An_asha_sweep_on_two_silos_with_one_killed_prunes_what_the_embedded_silo_prunes_bit_for_bit()
    {
        await using var kit = await ClusterKit.CreateAsync(output);
        // 50 000 images: a few tenths of a second per epoch, so epochs 4 to 7 of a trial last over a second (at 10 000 a
        // loaded CI host ran the whole sweep in 2 s and the poll never saw a trial there).
        var spec = EarlyStoppingRunTests.WriteSpec(kit.Dir, EarlyStoppingRunTests.Asha, trainImages: 50000);
        var embedded = await CliRun.InvokeAsync(kit.Dir.Path, "run", spec, "--db", kit.Dir.File("embedded.db"));
        Assert.True(embedded.ExitCode == 0, embedded.ToString());

        var db = kit.Database("cluster.db");
        VaesweepProcess[] silos = [await kit.StartSiloAsync("s1"), await kit.StartSiloAsync("s2")];
        var run = kit.StartRun("client", spec, db.Path);
        // A trial past its last rung (epochs 4 to 9 in one attempt) is the longest stretch of work: kill its silo then.
        const string Deep = "FROM trials t WHERE status = 'running' AND (SELECT count(*) FROM epochs e WHERE e.trial_id = t.trial_id) BETWEEN 4 AND 7";
        await kit.WaitUntilAsync("a trial training past its last rung", () => db.Poll($"SELECT count(*) {Deep}") > 0, db, run);
        var victim = silos.Single(s => s.Name == db.Text($"SELECT host {Deep} LIMIT 1"));
        victim.Kill();
        var code = await run.WaitForExitAsync(ClusterKit.Patience);

        Assert.True(code == ExitCodes.Ok, kit.Outputs());
        Assert.True(db.Scalar("SELECT count(*) FROM trials WHERE attempts > 1 + (SELECT count(*) FROM rung_decisions d WHERE d.trial_id = trials.trial_id)") >= 1,
            $"no attempt was lost with {victim.Name}\n{db.Describe()}");
        Assert.Equal(EarlyStoppingRunTests.Snapshot(kit.Dir.File("embedded.db")), EarlyStoppingRunTests.Snapshot(db.Path));
        Assert.False(silos.Single(s => s != victim).HasExited, kit.Outputs());
    }
}
