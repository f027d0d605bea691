using VaeSweep.Client.Store;
using VaeSweep.Client.Tests.Fixtures;

namespace VaeSweep.Client.Tests.Commands;

public sealed class OlderDatabaseTests
{
    [Fact]
    public async Task Read_commands_migrate_a_database_an_older_vaesweep_wrote_and_then_read_it()
    {
        using var dir = new TempDirectory();
        var dbPath = dir.File("r.db");
        Assert.Equal(0, (await CliRun.InvokeAsync(dir.Path, "run", TinySweep.Write(dir, latent: "[2]"), "--db", dbPath)).ExitCode);
        // Turn it back into what schema version 2 wrote: no engine column, no trial_weights, no lease, no versions, no attempt starts or silo stops, no rows past version 2.
        // Schema 8's latent statistics go first: dropping a column checks the views, and `results` needs rung_decisions.
        RawSql.Execute(dbPath, "DROP VIEW latent_results; DROP TABLE latent_dimensions; ALTER TABLE evaluations DROP COLUMN active_threshold; " +
            "ALTER TABLE evaluations DROP COLUMN active_units; ALTER TABLE evaluations DROP COLUMN rate; ALTER TABLE evaluations DROP COLUMN distortion; " +
            "ALTER TABLE silos DROP COLUMN stopped_at");
        RawSql.Execute(dbPath, "ALTER TABLE trials DROP COLUMN engine; DROP TABLE trial_weights; DROP TABLE rung_decisions; DROP TABLE sweep_leases; " +
            "DROP TABLE sweep_version_trials; DROP TABLE sweep_versions; DROP TABLE attempt_starts; " +
            "DELETE FROM schema_version WHERE version > 2");
        Assert.Equal(2, ResultsStore.StoredSchemaVersion(dbPath));

        var top = await CliRun.InvokeAsync(dir.Path, "top", "--db", dbPath, "--format", "json");

        Assert.True(top.ExitCode == 0, top.ToString());
        Assert.Contains($"migrated the results database from schema version 2 to {ResultsStore.SchemaVersion}", top.Err);
        Assert.Contains("\"heldout_ll\"", top.Out);
        Assert.Equal(ResultsStore.SchemaVersion, ResultsStore.StoredSchemaVersion(dbPath));
        var show = await CliRun.InvokeAsync(dir.Path, "show", "--db", dbPath, (await CliRun.InvokeAsync(dir.Path, "query", "--db", dbPath,
            "SELECT trial_id FROM trials", "--format", "csv")).Out.Split('\n')[1].Trim());
        Assert.Equal(0, show.ExitCode);
        Assert.DoesNotContain("migrated", show.Err);   // once only
        Assert.DoesNotContain("engine ", show.Out);    // trained before engines were recorded
        var history = await CliRun.InvokeAsync(dir.Path, "history", "tiny", "--db", dbPath);
        Assert.Contains("tiny: 1 version", history.Out); // the sweep became its version 1
    }
}
