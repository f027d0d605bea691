using Xunit.Abstractions;

namespace VaeSweep.Client.Tests.Cluster;

/// <summary>Ctrl-C and cancel of a cluster run print the one line that says what happened (issue 18.6); details go to the log file.</summary>
[Collection(ClusterCollection.Name)]
public sealed class QuietInterruptionTests(ITestOutputHelper output)
{
    private const int Epochs = 60;

    [Fact]
    public async Task Ctrl_c_of_a_cluster_run_prints_one_line_and_orleans_details_go_to_the_log_file()
    {
        await using var kit = await ClusterKit.CreateAsync(output);
        var spec = kit.WriteSpec("quiet", Epochs, latent: "[2, 3]", trainImages: 20000);
        var db = kit.Database("cluster.db");
        var silo = await kit.StartSiloAsync("s1");
        var run = kit.StartRun("client", spec, db.Path);
        await kit.WaitUntilAsync("an epoch stored", () => db.Poll("SELECT count(*) FROM epochs") >= 1, db, run, silo);

        await run.InterruptAsync();
        var code = await run.WaitForExitAsync(ClusterKit.Patience);

        Assert.True(code == ExitCodes.Interrupted, kit.Outputs());
        AssertQuiet(run, "interrupted");
        Assert.True(File.Exists(db.Path + ".log"), $"no log file beside the database\n{kit.Outputs()}");
    }

    [Fact]
    public async Task Cancel_of_a_running_cluster_sweep_prints_one_line()
    {
        await using var kit = await ClusterKit.CreateAsync(output);
        var spec = kit.WriteSpec("stopped", Epochs, latent: "[2, 3]", trainImages: 20000);
        var db = kit.Database("cluster.db");
        var silo = await kit.StartSiloAsync("s1");
        var run = kit.StartRun("client", spec, db.Path);
        await kit.WaitUntilAsync("an epoch stored", () => db.Poll("SELECT count(*) FROM epochs") >= 1, db, run, silo);

        var cancel = kit.Start("cancel", "cancel", "--sweep", "stopped", "--db", db.Path, "--cluster", kit.Cluster);
        Assert.True(await cancel.WaitForExitAsync(ClusterKit.Patience) == ExitCodes.Ok, kit.Outputs());
        var code = await run.WaitForExitAsync(ClusterKit.Patience);

        Assert.True(code == ExitCodes.Interrupted, kit.Outputs());
        AssertQuiet(run, "was cancelled");
        Assert.DoesNotContain("   at ", cancel.Printed);
    }

    private static void AssertQuiet(VaesweepProcess run, string what)
    {
        var lines = run.Printed.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var message = Assert.Single(lines, l => l.StartsWith("vaesweep:", StringComparison.Ordinal));
        Assert.Contains(what, message);
        Assert.DoesNotContain(lines, l => l.Contains("Exception", StringComparison.Ordinal) || l.StartsWith("   at ", StringComparison.Ordinal)
                                          || l.Contains("warn:", StringComparison.Ordinal) || l.Contains("fail:", StringComparison.Ordinal));
    }
}
