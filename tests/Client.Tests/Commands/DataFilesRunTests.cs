using System.Text.Json;
using VaeSweep.Client.Tests.Fixtures;
using VaeSweep.Client.Tests.Spec;

namespace VaeSweep.Client.Tests.Commands;

/// <summary>
/// Files of numbers through the command line: experiments/digits.yaml on scikit-learn's bundled digits CSV (Debian
/// python3-sklearn, installed by .ci/run) trains, ranks and reports end to end; a bad data file stops the run before
/// anything is stored.
/// </summary>
public sealed class DataFilesRunTests
{
    private const string Digits = "/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz";

    [Fact]
    public async Task The_digits_experiment_trains_ranks_and_reports_on_the_csv_scikit_learn_ships()
    {
        Assert.True(File.Exists(Digits), $"{Digits} is missing: install Debian's python3-sklearn (bash .ci/run does)");
        using var dir = new TempDirectory();
        var spec = Path.Combine(SpecTesting.RepositoryRoot(), "experiments", "digits.yaml");
        var db = dir.File("r.db");

        var run = await CliRun.InvokeAsync(dir.Path, "run", spec, "--db", db);
        var top = await CliRun.InvokeAsync(dir.Path, "top", "--db", db, "--format", "json");
        var report = await CliRun.InvokeAsync(dir.Path, "report", "digits", "--db", db, "-o", dir.File("digits.html"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(top.ExitCode == 0, top.ToString());
        using var json = JsonDocument.Parse(top.Out);
        var rows = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(2, rows.Count);
        foreach (var row in rows)
        {
            var ll = row.GetProperty("heldout_ll").GetDouble();
            var elbo = row.GetProperty("elbo").GetDouble();
            // A density of 64 grey levels in 0..16 (the standardisation's Jacobian added): finite, and not below the
            // last validation ELBO by more than the estimate's noise allows.
            Assert.True(double.IsFinite(ll), $"held-out LL {ll}");
            Assert.InRange(ll, -400, 100);
            Assert.True(ll >= elbo - 5 * row.GetProperty("heldout_ll_se").GetDouble() - 5, $"held-out {ll} far below ELBO {elbo}");
        }
        Assert.True(report.ExitCode == 0, report.ToString());
        var html = File.ReadAllText(dir.File("digits.html"));
        // The digits are 8×8 images by dataset.shape: grids of 8 columns of 8×8 tiles at scale 2, not per-feature plots.
        Assert.Contains("id=\"plot-images-1\"", html);
        Assert.DoesNotContain("plot-features-", html);
        Assert.Contains("class 9", html);
    }

    [Fact]
    public async Task Data_without_an_image_shape_is_reported_as_per_feature_plots()
    {
        using var dir = new TempDirectory();
        var csv = dir.File("wave.csv");
        var random = new Random(4);
        File.WriteAllLines(csv, Enumerable.Range(0, 300).Select(i =>
        {
            var phase = random.NextDouble() * 6.28;
            return string.Join(",", Enumerable.Range(0, 5).Select(j => (Math.Sin(phase + j) * 3 + 10 + random.NextDouble() * 0.1).ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
        }));
        var spec = dir.File("wave.yaml");
        File.WriteAllText(spec, $$"""
            name: wave
            dataset: { train: {{csv}}, test_fraction: 0.2, validation: 40, standardize: true }
            model: { hidden: [16], likelihood: gaussian, output: identity, sigma: 0.3 }
            train: { epochs: 3, batch_size: 32, seed: 1 }
            eval: { importance_samples: 20, examples: 20 }
            sweep: { strategy: grid, parameters: { latent: [2] } }
            """);

        var run = await CliRun.InvokeAsync(dir.Path, "run", spec, "--db", dir.File("r.db"));
        var report = await CliRun.InvokeAsync(dir.Path, "report", "wave", "--db", dir.File("r.db"), "-o", dir.File("wave.html"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(report.ExitCode == 0, report.ToString());
        var html = File.ReadAllText(dir.File("wave.html"));
        Assert.Contains("id=\"plot-features-1\"", html);
        Assert.DoesNotContain("plot-images-", html);
        Assert.Contains("5 features each", html);
    }

    [Fact]
    public async Task A_ragged_csv_stops_the_run_naming_spec_key_file_and_line_and_stores_nothing()
    {
        using var dir = new TempDirectory();
        var csv = dir.File("bad.csv");
        File.WriteAllText(csv, "1,2,3\n4,5,6\n7,8\n");
        var spec = dir.File("bad.yaml");
        File.WriteAllText(spec, $$"""
            name: bad
            dataset: { train: {{csv}}, test_fraction: 0.3, validation: 1 }
            sweep: { strategy: grid, parameters: { latent: [2] } }
            """);

        var run = await CliRun.InvokeAsync(dir.Path, "run", spec, "--db", dir.File("r.db"));

        Assert.Equal(ExitCodes.BadSpec, run.ExitCode);
        Assert.Contains($"bad.yaml:2:19: dataset.train: {csv}:3: 2 fields, but line 1 has 3", run.Err);
        Assert.Contains("nothing was run or stored", run.Err);
        Assert.False(File.Exists(dir.File("r.db")));
    }
}
