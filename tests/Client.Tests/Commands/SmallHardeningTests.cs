using VaeSweep.Client.Progress;
using VaeSweep.Client.Store;
using VaeSweep.Client.Tests.Fixtures;
using VaeSweep.Client.Tests.Report;
using Xunit.Abstractions;

namespace VaeSweep.Client.Tests.Commands;

/// <summary>The small hostile inputs of issue 18.7: each refused in one line with its exit code, nothing lost.</summary>
public sealed class SmallHardeningTests(ReportSweep sweep, ITestOutputHelper output) : IClassFixture<ReportSweep>
{
    [Fact]
    public async Task Report_to_an_empty_output_name_is_a_usage_error()
    {
        using var dir = new TempDirectory();
        var run = await CliRun.InvokeAsync(dir.Path, "report", "tiny", "--db", sweep.DbPath, "-o", "");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Equal("vaesweep: --output: must name a file, got an empty value", run.Err.Trim());
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Report_over_a_read_only_file_is_refused_and_the_file_is_left_alone()
    {
        using var dir = new TempDirectory();
        var page = dir.File("r.html");
        File.WriteAllText(page, "kept");
        File.SetUnixFileMode(page, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var run = await CliRun.InvokeAsync(dir.Path, "report", "tiny", "--db", sweep.DbPath, "-o", page);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains($"--output: {page} is read-only", run.Err);
        Assert.Equal("kept", File.ReadAllText(page));
        Assert.Equal([page], Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public async Task Report_into_a_read_only_directory_is_refused_in_one_line()
    {
        using var dir = new TempDirectory();
        var readOnly = dir.File("ro");
        Directory.CreateDirectory(readOnly);
        // A read-only filesystem: a mode bit would not stop root, who runs these tests in CI.
        if (await ShellCommand.RunAsync("mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", readOnly) is { } refusal)
        {
            output.WriteLine($"SKIPPED: cannot mount a read-only tmpfs here ({refusal})");
            return;
        }

        try
        {
            var run = await CliRun.InvokeAsync(dir.Path, "report", "tiny", "--db", sweep.DbPath, "-o", Path.Combine(readOnly, "r.html"));

            Assert.Equal(ExitCodes.Usage, run.ExitCode);
            Assert.StartsWith($"vaesweep: --output: cannot write {Path.Combine(readOnly, "r.html")}", run.Err);
            Assert.Single(run.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
        finally
        {
            await ShellCommand.RunAsync("umount", "-l", readOnly);
        }
    }

    [Fact]
    public async Task Load_extension_in_a_query_is_refused_naming_it()
    {
        var run = await CliRun.InvokeAsync(Path.GetTempPath(), "query", "--db", sweep.DbPath, "SELECT load_extension('/tmp/evil.so')");

        Assert.Equal(ExitCodes.Database, run.ExitCode);
        Assert.Contains("load_extension() (it would load native code into this process) is not allowed", run.Err);
    }

    [Fact]
    public async Task A_runaway_query_stops_at_its_timeout_and_without_one_a_query_runs_to_its_end()
    {
        const string runaway = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n";
        var stopped = await CliRun.InvokeAsync(Path.GetTempPath(), "query", "--db", sweep.DbPath, runaway, "--timeout", "0.5");

        Assert.Equal(ExitCodes.Database, stopped.ExitCode);
        Assert.Equal("vaesweep: query stopped after 0.5 s (--timeout); nothing was changed", stopped.Err.Trim());

        var bounded = await CliRun.InvokeAsync(Path.GetTempPath(), "query", "--db", sweep.DbPath,
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000) SELECT count(*) FROM n", "--timeout", "600", "--format", "csv");
        Assert.Equal(0, bounded.ExitCode);
        Assert.Contains("1000", bounded.Out);

        var bad = await CliRun.InvokeAsync(Path.GetTempPath(), "query", "--db", sweep.DbPath, "SELECT 1", "--timeout", "0");
        Assert.Equal(ExitCodes.Usage, bad.ExitCode);
    }

    [Fact]
    public void Times_of_a_day_or_more_keep_their_days()
    {
        Assert.Equal("11574d 01:46:40", ProgressView.Format(TimeSpan.FromSeconds(1e9)));
        Assert.Equal("1d 00:00:01", ProgressView.Format(TimeSpan.FromSeconds(86_401)));
        Assert.Equal("19:34:25", ProgressView.Format(new TimeSpan(19, 34, 25)));
        Assert.Equal("4:05", ProgressView.Format(TimeSpan.FromSeconds(245)));
    }

    [Fact]
    public async Task A_database_whose_schema_version_was_dropped_is_refused_by_run_in_one_line()
    {
        using var dir = new TempDirectory();
        var db = dir.File("r.db");
        using (ResultsStore.Open(db)) { }
        RawSql.Execute(db, "DROP TABLE schema_version");

        var run = await CliRun.InvokeAsync(dir.Path, "run", TinySweep.Write(dir), "--db", db);

        Assert.Equal(ExitCodes.Database, run.ExitCode);
        Assert.Contains("no schema_version table", run.Err);
        Assert.DoesNotContain("already exists", run.Err);
    }
}
