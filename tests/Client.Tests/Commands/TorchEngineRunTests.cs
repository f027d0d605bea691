using VaeSweep.Client.Tests.Fixtures;
using VaeSweep.Tests.Shared;

namespace VaeSweep.Client.Tests.Commands;

/// <summary>The torch engine end to end: a sweep over arch on the embedded silo, stored with its stamp, reproduced bit for bit.</summary>
public sealed class TorchEngineRunTests
{
    [Fact]
    public async Task A_torch_sweep_trains_mlp_and_conv_and_reproduces_bit_for_bit()
    {
        using var dir = new TempDirectory();
        var data = IdxFiles.Write(dir.File("data"), train: 200, side: 8);
        var spec = dir.File("torch.yaml");
        File.WriteAllText(spec, TinySweep.Spec(data, "torch", epochs: 2) + "\n    engine: [torch]\n    arch: [mlp, conv]\n");
        var dbPath = dir.File("r.db");

        var run = await CliRun.InvokeAsync(dir.Path, "run", spec, "--db", dbPath, "--slots", "2");
        Assert.True(run.ExitCode == 0, run.ToString());

        var rows = await CliRun.InvokeAsync(dir.Path, "query", "--db", dbPath,
            "SELECT t.trial_id || ' ' || t.status || ' ' || t.engine AS r FROM trials t ORDER BY t.trial_id", "--format", "csv");
        var trials = rows.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Skip(1).Select(t => t.Trim('"')).ToList();
        Assert.Equal(4, trials.Count);   // latent [2, 3] × arch [mlp, conv]
        Assert.All(trials, t => Assert.Matches(@"^[0-9a-f]{64} finished torch 2\.10\.0[^,]*, threads 1$", t));

        foreach (var trial in trials.Select(t => t[..64]))
        {
            var same = await CliRun.InvokeAsync(dir.Path, "reproduce", trial, "--db", dbPath);
            Assert.True(same.ExitCode == 0, same.ToString());
            Assert.Contains("bit for bit", same.Out);
        }
    }

    [Fact]
    public async Task Conv_on_images_whose_sides_are_not_multiples_of_four_fails_the_trial_with_the_reason()
    {
        using var dir = new TempDirectory();
        var data = IdxFiles.Write(dir.File("data"), train: 200, side: 6);
        var spec = dir.File("odd.yaml");
        File.WriteAllText(spec, TinySweep.Spec(data, "odd", epochs: 1, latent: "[2]") + "\n    engine: [torch]\n    arch: [conv]\n");
        var dbPath = dir.File("r.db");

        var run = await CliRun.InvokeAsync(dir.Path, "run", spec, "--db", dbPath);
        Assert.NotEqual(0, run.ExitCode);
        var error = await CliRun.InvokeAsync(dir.Path, "query", "--db", dbPath, "SELECT status || ': ' || error AS e FROM trials", "--format", "csv");
        Assert.Contains("failed: ", error.Out);
        Assert.Contains("6×6", error.Out);
    }
}
