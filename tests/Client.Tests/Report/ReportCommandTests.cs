using VaeSweep.Client.Tests.Fixtures;

namespace VaeSweep.Client.Tests.Report;

public sealed class ReportCommandTests(ReportSweep sweep) : IClassFixture<ReportSweep>
{
    [Fact]
    public async Task A_missing_database_is_refused_and_nothing_is_written()
    {
        using var dir = new TempDirectory();
        var run = await CliRun.InvokeAsync(dir.Path, "report", "tiny", "--db", dir.File("none.db"), "-o", dir.File("r.html"));

        Assert.Equal(ExitCodes.Database, run.ExitCode);
        Assert.Contains("none.db: no results database here", run.Err);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public async Task An_unknown_sweep_is_refused_naming_the_known_ones_and_an_old_page_is_left_alone()
    {
        using var dir = new TempDirectory();
        var page = dir.File("r.html");
        File.WriteAllText(page, "old page");
        var run = await CliRun.InvokeAsync(dir.Path, "report", "tinny", "--db", sweep.DbPath, "-o", page);

        Assert.Equal(ExitCodes.NotFound, run.ExitCode);
        Assert.Contains("no sweep named 'tinny'", run.Err);
        Assert.Contains("(sweeps: tiny)", run.Err);
        Assert.Equal("old page", File.ReadAllText(page));
        Assert.Equal([page], Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public async Task An_output_directory_that_does_not_exist_is_a_usage_error()
    {
        using var dir = new TempDirectory();
        var run = await CliRun.InvokeAsync(dir.Path, "report", "tiny", "--db", sweep.DbPath, "-o", dir.File("no/such/r.html"));

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("--output: directory", run.Err);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public async Task The_page_replaces_an_old_one_whole_and_leaves_no_temporary_file()
    {
        using var dir = new TempDirectory();
        var page = dir.File("r.html");
        File.WriteAllText(page, "old page");

        var run = await CliRun.InvokeAsync(dir.Path, "report", "tiny", "--db", sweep.DbPath, "-o", page, "--best", "2");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains($"wrote {page}", run.Out);
        var html = File.ReadAllText(page);
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.EndsWith("</html>\n", html);
        Assert.Equal(2, html.Split("<div class=\"trial\"").Length - 1);
        Assert.Equal([page], Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public async Task Best_out_of_range_is_a_usage_error()
    {
        using var dir = new TempDirectory();
        var run = await CliRun.InvokeAsync(dir.Path, "report", "tiny", "--db", sweep.DbPath, "-o", dir.File("r.html"), "--best", "0");
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("--best: must be between 1 and 10, got 0", run.Err);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public async Task An_older_database_is_migrated_and_its_trials_report_without_images()
    {
        using var dir = new TempDirectory();
        var db = sweep.CopyDatabase(dir.File("r.db"));
        // Schema 8's latent statistics go first: dropping a column checks the views, and `results` needs rung_decisions.
        RawSql.Execute(db, "DROP VIEW latent_results; DROP TABLE latent_dimensions; ALTER TABLE evaluations DROP COLUMN active_threshold; " +
            "ALTER TABLE evaluations DROP COLUMN active_units; ALTER TABLE evaluations DROP COLUMN rate; ALTER TABLE evaluations DROP COLUMN distortion; " +
            "ALTER TABLE silos DROP COLUMN stopped_at");
        RawSql.Execute(db, "DROP TABLE trial_weights; DROP TABLE rung_decisions; DROP TABLE sweep_leases; DROP TABLE sweep_version_trials; " +
            "DROP TABLE sweep_versions; DROP TABLE attempt_starts; " +
            "DELETE FROM schema_version WHERE version >= 4;");
        var page = dir.File("r.html");

        var run = await CliRun.InvokeAsync(dir.Path, "report", "tiny", "--db", db, "-o", page);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("migrated the results database from schema version 3", run.Err);
        Assert.Contains("No images: no final weights stored", File.ReadAllText(page));
    }
}
