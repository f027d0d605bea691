using System.Text.Json;
using VaeSweep.Client.Tests.Fixtures;

namespace VaeSweep.Client.Tests.Commands;

/// <summary><c>top</c> for a sweep over activation and lr: the swept columns, readable numbers, at most 120 columns.</summary>
public sealed class TopColumnsTests : IClassFixture<TopColumnsTests.ActivationSweep>
{
    /// <summary>Four trials: activation × lr, trained once for every test here.</summary>
    public sealed class ActivationSweep : IAsyncLifetime
    {
        internal TempDirectory Dir { get; } = new();

        public string Db => Dir.File("r.db");

        public async Task InitializeAsync()
        {
            var data = IdxFiles.Write(Dir.File("data"));
            var spec = Dir.File("act.yaml");
            File.WriteAllText(spec, $$"""
                name: act
                dataset: { name: blobs, path: {{data}}, validation: 40 }
                model: { hidden: [16], likelihood: gaussian, latent: 2 }
                train: { epochs: 2, batch_size: 32, seed: 1 }
                eval: { importance_samples: 20, examples: 20 }
                sweep:
                  strategy: grid
                  parameters:
                    activation: [relu, tanh]
                    lr: [0.003, 0.000383237]
                """);
            var run = await CliRun.InvokeAsync(Dir.Path, "run", spec, "--db", Db, "--slots", "2");
            Assert.True(run.ExitCode == 0, run.ToString());
        }

        public Task DisposeAsync()
        {
            Dir.Dispose();
            return Task.CompletedTask;
        }
    }

    private readonly ActivationSweep sweep;

    public TopColumnsTests(ActivationSweep sweep) => this.sweep = sweep;

    [Fact]
    public async Task The_table_shows_the_swept_parameters_at_readable_precision_within_120_columns()
    {
        var top = await CliRun.InvokeAsync(sweep.Dir.Path, "top", "act", "--db", sweep.Db);

        Assert.True(top.ExitCode == 0, top.ToString());
        var lines = top.Out.TrimEnd('\n').Split('\n');
        Assert.All(lines, l => Assert.True(l.Length <= 120, $"{l.Length} columns: {l}"));
        var header = lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["rank", "trial", "activation", "lr", "heldout_ll", "±se"], header[..6]);
        // What was not swept is not a column, and neither sweep nor status repeats on every row.
        Assert.DoesNotContain("latent", header);
        Assert.DoesNotContain("sigma", header);
        Assert.DoesNotContain("sweep", header);
        Assert.DoesNotContain("status", header);
        var rows = lines[3..];
        Assert.Equal(4, rows.Length);
        Assert.Equal(2, rows.Count(r => r.Contains(" relu ")));
        Assert.Equal(2, rows.Count(r => r.Contains(" tanh ")));
        Assert.Equal(2, rows.Count(r => r.Contains(" 3.83e-4 ")));
        Assert.Equal(2, rows.Count(r => r.Contains(" 3e-3 ")));
        Assert.All(rows, r => Assert.Matches(@"^ +\d  [0-9a-f]{16}  (relu|tanh) +\S+ +-?\d+\.\d +\d+\.\d ", r));
    }

    [Fact]
    public async Task Wide_shows_every_column_and_json_keeps_full_precision_and_every_field()
    {
        var wide = await CliRun.InvokeAsync(sweep.Dir.Path, "top", "--sweep", "act", "--db", sweep.Db, "--wide");
        var header = wide.Out.Split('\n')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        foreach (var column in new[] { "activation", "lr", "status", "latent", "sigma", "beta", "elbo", "kl", "recon", "diff_se", "paired", "sweep" })
            Assert.Contains(column, header);

        var json = await CliRun.InvokeAsync(sweep.Dir.Path, "top", "act", "--db", sweep.Db, "--format", "json");
        using var document = JsonDocument.Parse(json.Out);
        var rows = document.RootElement.EnumerateArray().ToList();
        Assert.Equal(4, rows.Count);
        Assert.Contains(rows, r => r.GetProperty("lr").GetDouble() == 0.000383237);
        Assert.All(rows, r => Assert.Contains(r.GetProperty("activation").GetString(), new[] { "relu", "tanh" }));
        Assert.All(rows, r => Assert.True(r.TryGetProperty("heldout_ll_se", out _)));
        // Full precision: the held-out LL is not rounded to the table's tenth.
        Assert.Contains(rows, r => Math.Abs(r.GetProperty("heldout_ll").GetDouble() * 10 % 1) > 1e-9);
    }

    [Fact]
    public async Task Sweeps_lists_the_sweep_with_counts_and_best_ll_in_table_and_json()
    {
        var table = await CliRun.InvokeAsync(sweep.Dir.Path, "sweeps", "--db", sweep.Db);
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Matches(@"\nact +finished +4 +4 +0 +0 +0 +0 +-?\d+\.\d +\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\n", table.Out);

        var json = await CliRun.InvokeAsync(sweep.Dir.Path, "sweeps", "--db", sweep.Db, "--format", "json");
        using var document = JsonDocument.Parse(json.Out);
        var act = document.RootElement[0];
        Assert.Equal("act", act.GetProperty("sweep").GetString());
        Assert.Equal(4, act.GetProperty("finished").GetInt32());
        var best = (await CliRun.InvokeAsync(sweep.Dir.Path, "top", "act", "--db", sweep.Db, "--format", "json", "--limit", "1")).Out;
        using var top = JsonDocument.Parse(best);
        Assert.Equal(top.RootElement[0].GetProperty("heldout_ll").GetDouble(), act.GetProperty("best_ll").GetDouble());
    }

    [Fact]
    public async Task Show_writes_json_and_the_database_comes_from_VAESWEEP_DB()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var environment = new Dictionary<string, string?> { ["VAESWEEP_DB"] = sweep.Db };
        var id = (await CliRun.InvokeAsync(sweep.Dir.Path, "top", "act", "--db", sweep.Db, "--format", "csv")).Out.Split('\n')[1].Split(',')[0];

        var code = await Cli.InvokeAsync(["show", id[..10], "--format", "json"], output, error, TimeProvider.System, name => environment.GetValueOrDefault(name));

        Assert.True(code == 0, error.ToString());
        using var document = JsonDocument.Parse(output.ToString());
        Assert.Equal(id, document.RootElement.GetProperty("trial").GetString());
        Assert.Equal(2, document.RootElement.GetProperty("epochs").GetArrayLength());
        Assert.Equal("blobs", document.RootElement.GetProperty("config").GetProperty("dataset").GetProperty("name").GetString());
        Assert.Equal(2, document.RootElement.GetProperty("estimates").GetArrayLength());
        Assert.Equal((1, 1), (document.RootElement.GetProperty("attempts").GetInt32(), document.RootElement.GetProperty("started_attempts").GetInt32()));
    }

    [Theory]
    [InlineData("top", "--format", "xml")]
    [InlineData("status", "--format", "csv")]
    [InlineData("sweeps", "--format", "yaml")]
    public async Task A_wrong_format_is_one_line_naming_the_choices(params string[] args)
    {
        var run = await CliRun.InvokeAsync(sweep.Dir.Path, [.. args, "--db", sweep.Db]);
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        var lines = run.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Matches(@"^--format: expected table, json( or csv)?(, or csv)?|^--format: expected table, json or csv|^--format: expected table or json", lines[0]);
        Assert.DoesNotContain("Usage:", run.Out + run.Err);
    }

    [Fact]
    public async Task Two_different_sweep_names_are_refused()
    {
        var run = await CliRun.InvokeAsync(sweep.Dir.Path, "top", "act", "--sweep", "other", "--db", sweep.Db);
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("SWEEP: named twice", run.Err);
    }
}
