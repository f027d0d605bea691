using VaeSweep.Client.Tests.Fixtures;

namespace VaeSweep.Client.Tests.Commands;

/// <summary>A tpe spec the strategy cannot run is refused by <c>vaesweep run</c> with file:line:column, and nothing is stored.</summary>
public sealed class TpeBadInputTests
{
    [Theory]
    [InlineData("strategy: tpe", ":6:1: sweep: strategy tpe needs 'trials: N'")]
    [InlineData("strategy: tpe\n  trials: 5\n  startup_trials: 5", ":9:19: sweep.startup_trials: must be at least 0 and less than trials (5)")]
    [InlineData("strategy: tpe\n  trials: 12\n  parameters:\n    latent: [2, 3, 2]", ":10:20: sweep.parameters.latent[2]: duplicate value 2")]
    public async Task Is_refused_with_its_place_and_no_database_is_created(string sweep, string expected)
    {
        using var dir = new TempDirectory();
        var spec = TinySweep.Write(dir, name: "bad");
        var text = File.ReadAllText(spec).Replace("strategy: grid", sweep);
        if (sweep.Contains("latent:")) text = text.Replace("    latent: [2, 3]\n", "");
        File.WriteAllText(spec, text);

        var run = await CliRun.InvokeAsync(dir.Path, "run", spec, "--db", dir.File("r.db"));

        Assert.Equal(ExitCodes.BadSpec, run.ExitCode);
        Assert.Contains("bad.yaml" + expected, run.Err);
        Assert.DoesNotContain("   at ", run.Err);
        Assert.False(File.Exists(dir.File("r.db")));
    }
}
