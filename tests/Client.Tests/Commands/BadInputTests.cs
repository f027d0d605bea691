using VaeSweep.Client.Tests.Fixtures;

namespace VaeSweep.Client.Tests.Commands;

/// <summary>Bad input gets a clear message naming what and where, a non-zero exit, and writes nothing.</summary>
public sealed class BadInputTests
{
    [Fact]
    public async Task A_missing_spec_file_is_named_and_no_database_is_created()
    {
        using var dir = new TempDirectory();
        var run = await CliRun.InvokeAsync(dir.Path, "run", dir.File("nope.yaml"), "--db", dir.File("r.db"));

        Assert.Equal(ExitCodes.BadSpec, run.ExitCode);
        Assert.Contains("nope.yaml", run.Err);
        Assert.False(File.Exists(dir.File("r.db")));
    }

    [Fact]
    public async Task A_malformed_spec_reports_file_line_and_column_and_leaves_the_database_untouched()
    {
        using var dir = new TempDirectory();
        var good = TinySweep.Write(dir, name: "good", latent: "[2]");
        var dbPath = dir.File("r.db");
        Assert.Equal(0, (await CliRun.InvokeAsync(dir.Path, "run", good, "--db", dbPath)).ExitCode);
        var before = File.ReadAllBytes(dbPath);
        var bad = dir.File("bad.yaml");
        File.WriteAllText(bad, TinySweep.Spec(dir.File("data"), name: "bad").Replace("sigma: [0.3]", "sigma: [0.3, -1.0]"));

        var run = await CliRun.InvokeAsync(dir.Path, "run", bad, "--db", dbPath);

        Assert.Equal(ExitCodes.BadSpec, run.ExitCode);
        Assert.Matches(@"bad\.yaml:\d+:\d+: .*sigma", run.Err);
        var after = await CliRun.InvokeAsync(dir.Path, "query", "--db", dbPath, "SELECT name FROM sweeps", "--format", "csv");
        Assert.Equal("name\ngood\n", after.Out.Replace("\r", ""));
        Assert.Equal(before, File.ReadAllBytes(dbPath));
    }

    [Fact]
    public async Task A_spec_whose_dataset_directory_is_missing_is_refused()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("s.yaml"), TinySweep.Spec(dir.File("no-such-dir")));

        var run = await CliRun.InvokeAsync(dir.Path, "run", dir.File("s.yaml"), "--db", dir.File("r.db"));

        Assert.Equal(ExitCodes.BadSpec, run.ExitCode);
        Assert.Contains("no-such-dir", run.Err);
        Assert.False(File.Exists(dir.File("r.db")));
    }

    [Fact]
    public async Task A_spec_changed_under_an_existing_sweep_name_becomes_its_next_version()
    {
        // Refused until issue 19; docs/editing.md and SweepEditingTests cover editing in full.
        using var dir = new TempDirectory();
        var spec = TinySweep.Write(dir, latent: "[2]");
        Assert.Equal(0, (await CliRun.InvokeAsync(dir.Path, "run", spec, "--db", dir.File("r.db"))).ExitCode);
        File.WriteAllText(spec, File.ReadAllText(spec).Replace("latent: [2]", "latent: [2, 3]"));

        var run = await CliRun.InvokeAsync(dir.Path, "run", spec, "--db", dir.File("r.db"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("tiny: version 2: +1 trial, \u22120 trials", run.Out);
    }

    [Fact]
    public async Task A_database_file_that_is_not_sqlite_is_named_and_left_as_it_was()
    {
        using var dir = new TempDirectory();
        var spec = TinySweep.Write(dir);
        var dbPath = dir.File("notes.db");
        File.WriteAllText(dbPath, "these are my notes, not a database\n");

        var run = await CliRun.InvokeAsync(dir.Path, "run", spec, "--db", dbPath);

        Assert.Equal(ExitCodes.Database, run.ExitCode);
        Assert.Contains("notes.db", run.Err);
        Assert.Equal("these are my notes, not a database\n", File.ReadAllText(dbPath));
    }

    [Theory]
    [InlineData("run")]
    [InlineData("run", "x.yaml", "--slots", "two")]
    [InlineData("top", "--format", "xml")]
    [InlineData("frobnicate")]
    public async Task Wrong_flags_and_verbs_are_usage_errors(params string[] args)
    {
        using var dir = new TempDirectory();
        var run = await CliRun.InvokeAsync(dir.Path, args);
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.NotEmpty(run.Err);
    }

    [Fact]
    public async Task Slots_below_one_are_refused()
    {
        using var dir = new TempDirectory();
        var spec = TinySweep.Write(dir);
        var run = await CliRun.InvokeAsync(dir.Path, "run", spec, "--db", dir.File("r.db"), "--slots", "0");
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("--slots", run.Err);
    }

    [Theory]
    [InlineData("top")]
    [InlineData("status")]
    [InlineData("show", "abc")]
    [InlineData("query", "SELECT 1")]
    public async Task Reading_commands_name_a_missing_database_and_do_not_create_it(params string[] args)
    {
        using var dir = new TempDirectory();
        var run = await CliRun.InvokeAsync(dir.Path, [.. args, "--db", dir.File("missing.db")]);
        Assert.Equal(ExitCodes.Database, run.ExitCode);
        Assert.Contains("missing.db", run.Err);
        Assert.False(File.Exists(dir.File("missing.db")));
    }
}
