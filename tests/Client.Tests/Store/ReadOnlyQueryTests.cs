using VaeSweep.Client.Store;

namespace VaeSweep.Client.Tests.Store;

public class ReadOnlyQueryTests
{
    [Fact]
    public void SelectReturnsColumnsAndTypedRows()
    {
        using var db = new TempDatabase();
        using var store = Samples.StoreWithSweep(db.Path, trialIds: ["a", "b"]);
        var result = store.QueryReadOnly("SELECT trial_id, beta, latent, error FROM trials ORDER BY trial_id");
        Assert.Equal(new[] { "trial_id", "beta", "latent", "error" }, result.Columns);
        Assert.Equal(2, result.Rows.Count);
        Assert.Equal(new object?[] { "a", 1.0, 20L, null }, result.Rows[0]);
        Assert.Equal(new object?[] { "b", 2.0, 20L, null }, result.Rows[1]);
        Assert.False(result.Truncated);
    }

    [Fact]
    public void ResultsViewAndDescribingPragmasAreReadable()
    {
        using var db = new TempDatabase();
        using var store = Samples.StoreWithSweep(db.Path, trialIds: "a");
        Assert.Equal("a", store.QueryReadOnly("SELECT trial_id FROM results WHERE sweep = 's'").Rows[0][0]);
        Assert.Contains(store.QueryReadOnly("PRAGMA table_info(trials)").Rows, r => (string?)r[1] == "diverged_epoch");
        Assert.Equal(0L, store.QueryReadOnly("PRAGMA user_version").Rows[0][0]);
        Assert.Equal("wal", store.QueryReadOnly("PRAGMA journal_mode").Rows[0][0]);
    }

    [Theory]
    [InlineData("INSERT INTO sweeps (name, spec_text, spec_sha256, created_at) VALUES ('x', '', '', '')", "INSERT")]
    [InlineData("UPDATE trials SET beta = 0", "UPDATE")]
    [InlineData("DELETE FROM trials", "DELETE")]
    [InlineData("DROP TABLE epochs", "schema change")]
    [InlineData("CREATE TABLE t (x)", "schema change")]
    [InlineData("CREATE TEMP TABLE t (x)", "schema change")]
    [InlineData("ALTER TABLE trials ADD COLUMN x", "")]
    [InlineData("CREATE INDEX i ON trials (beta)", "schema change")]
    [InlineData("PRAGMA user_version = 7", "PRAGMA user_version = 7")]
    [InlineData("PRAGMA journal_mode = DELETE", "PRAGMA journal_mode")]
    [InlineData("PRAGMA query_only = OFF", "PRAGMA query_only")]
    [InlineData("PRAGMA wal_checkpoint(TRUNCATE)", "PRAGMA wal_checkpoint")]
    [InlineData("ATTACH DATABASE 'other.db' AS o", "ATTACH")]
    [InlineData("BEGIN IMMEDIATE", "transaction")]
    [InlineData("VACUUM", "")]
    [InlineData("SELECT 1; DELETE FROM trials", "DELETE")]
    public void WritesAreRefusedAndLeaveDataIntact(string sql, string named)
    {
        using var db = new TempDatabase();
        using var store = Samples.StoreWithSweep(db.Path, trialIds: ["a", "b"]);
        var before = store.QueryReadOnly("SELECT * FROM trials ORDER BY trial_id");

        var e = Assert.Throws<ResultsStoreException>(() => store.QueryReadOnly(sql));
        Assert.StartsWith("query is read-only: ", e.Message);
        Assert.Contains(named, e.Message);

        Assert.Equal(before.Rows, store.QueryReadOnly("SELECT * FROM trials ORDER BY trial_id").Rows);
        Assert.Equal(2L, store.QueryReadOnly("SELECT count(*) FROM sqlite_master WHERE name IN ('epochs', 'sweeps')").Rows[0][0]);
        Assert.Equal(0L, store.QueryReadOnly("PRAGMA user_version").Rows[0][0]);
        Assert.Equal("wal", store.QueryReadOnly("PRAGMA journal_mode").Rows[0][0]);
        Assert.False(File.Exists(Path.Combine(db.Directory, "other.db")));
    }

    [Fact]
    public void BadSqlIsReportedAsAFailedQuery()
    {
        using var db = new TempDatabase();
        using var store = Samples.StoreWithSweep(db.Path, trialIds: "a");
        var e = Assert.Throws<ResultsStoreException>(() => store.QueryReadOnly("SELEKT 1"));
        Assert.StartsWith("query failed: ", e.Message);
        Assert.Contains("no such table: nope", Assert.Throws<ResultsStoreException>(() => store.QueryReadOnly("SELECT * FROM nope")).Message);
    }

    [Fact]
    public void RowLimitTruncatesAndSaysSo()
    {
        using var db = new TempDatabase();
        using var store = Samples.StoreWithSweep(db.Path, trialIds: ["a", "b", "c"]);
        var result = store.QueryReadOnly("SELECT trial_id FROM trials ORDER BY trial_id", maxRows: 2);
        Assert.Equal(2, result.Rows.Count);
        Assert.True(result.Truncated);
    }

    [Fact]
    public void WorksOnAReadOnlyStoreToo()
    {
        using var db = new TempDatabase();
        using (Samples.StoreWithSweep(db.Path, trialIds: "a")) { }
        using var reader = ResultsStore.Open(db.Path, readOnly: true);
        Assert.Equal(1L, reader.QueryReadOnly("SELECT count(*) FROM trials").Rows[0][0]);
        Assert.StartsWith("query is read-only", Assert.Throws<ResultsStoreException>(() => reader.QueryReadOnly("DELETE FROM trials")).Message);
    }
}
