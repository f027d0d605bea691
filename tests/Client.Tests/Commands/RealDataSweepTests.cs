using VaeSweep.Client.Tests.Fixtures;

namespace VaeSweep.Client.Tests.Commands;

/// <summary>
/// One real sweep on a slice of Fashion-MNIST from Debian's dataset-fashion-mnist (installed by .ci/run),
/// through the experiments/smoke.yaml spec that ships with the tool.
/// </summary>
public sealed class RealDataSweepTests
{
    private const string FashionMnist = "/usr/share/datasets/fashion-mnist";

    [Fact]
    public async Task The_smoke_experiment_runs_on_real_fashion_mnist_and_ranks_its_trials()
    {
        Assert.True(File.Exists(Path.Combine(FashionMnist, "train-images-idx3-ubyte.gz")),
            $"{FashionMnist} is missing: install Debian's dataset-fashion-mnist (bash .ci/run does)");
        using var dir = new TempDirectory();
        var spec = Path.Combine(RepositoryRoot(), "experiments", "smoke.yaml");

        var run = await CliRun.InvokeAsync(dir.Path, "run", spec, "--db", dir.File("r.db"));
        var top = await CliRun.InvokeAsync(dir.Path, "top", "--db", dir.File("r.db"), "--format", "json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(0, top.ExitCode);
        using var json = System.Text.Json.JsonDocument.Parse(top.Out);
        var rows = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(2, rows.Count);
        foreach (var row in rows)
        {
            var ll = row.GetProperty("heldout_ll").GetDouble();
            var elbo = row.GetProperty("elbo").GetDouble();
            // 784 Gaussian pixels at σ = 0.1: a finite, negative-thousands log-likelihood that is not below the last validation ELBO
            // by more than the estimate's noise.
            Assert.InRange(ll, -20_000, 5_000);
            Assert.True(ll >= elbo - 5 * row.GetProperty("heldout_ll_se").GetDouble(), $"held-out {ll} far below ELBO {elbo}");
        }
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "VaeSweep.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new DirectoryNotFoundException("VaeSweep.sln not found above the test binaries");
    }
}
