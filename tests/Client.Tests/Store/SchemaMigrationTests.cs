using Dapper;
using Microsoft.Data.Sqlite;
using VaeSweep.Client.Store;

namespace VaeSweep.Client.Tests.Store;

public class SchemaMigrationTests
{
    private static SqliteConnection Raw(string path)
    {
        var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        c.Open();
        return c;
    }

    private static List<string> Tables(SqliteConnection c) =>
        c.Query<string>("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') ORDER BY name").ToList();

    [Fact]
    public void EmptyFileMigratesToLatestInWalMode()
    {
        using var db = new TempDatabase();
        using (ResultsStore.Open(db.Path, time: ManualClock.At("2025-01-02T03:04:05Z"))) { }

        using var c = Raw(db.Path);
        Assert.Equal("wal", c.ExecuteScalar<string>("PRAGMA journal_mode"));
        Assert.Equal(ResultsStore.SchemaVersion, c.ExecuteScalar<int>("SELECT max(version) FROM schema_version"));
        Assert.Equal(new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 }, c.Query<int>("SELECT version FROM schema_version ORDER BY version"));
        Assert.Equal("2025-01-02T03:04:05.000Z", c.ExecuteScalar<string>("SELECT applied_at FROM schema_version WHERE version = 1"));
        Assert.Equal(
            new[] { "attempt_failures", "attempt_starts", "checkpoints", "epochs", "evaluations", "latent_dimensions", "latent_results", "results", "rung_decisions", "schema_version", "silos", "sweep_leases", "sweep_trials", "sweep_version_trials", "sweep_versions", "sweeps", "trial_weights", "trials" },
            Tables(c));
    }

    [Fact]
    public void ReopeningAppliesNothingTwice()
    {
        using var db = new TempDatabase();
        using (ResultsStore.Open(db.Path)) { }
        using (ResultsStore.Open(db.Path)) { }
        using var c = Raw(db.Path);
        Assert.Equal(9, c.ExecuteScalar<int>("SELECT count(*) FROM schema_version"));
    }

    [Fact]
    public void VersionOneDatabaseMigratesForwardKeepingItsData()
    {
        using var db = new TempDatabase();
        using (var c = Raw(db.Path))
        {
            Assert.Equal(new[] { 1 }, SchemaMigrations.Migrate(c, db.Path, "2024-01-01T00:00:00.000Z", target: 1));
            Assert.DoesNotContain("silos", Tables(c));
            c.Execute("INSERT INTO sweeps (name, spec_text, spec_sha256, created_at) VALUES ('old', 'x', 'abc', '2024-01-01T00:00:00.000Z')");
            c.Execute("""
                INSERT INTO trials (trial_id, sweep_id, ordinal, latent, sigma, beta, lr, hidden, activation, likelihood,
                                    epochs, batch_size, seed, config_json, created_at)
                VALUES ('t1', 1, 0, 20, 0.1, 1, 0.001, '400', 'relu', 'gaussian', 10, 128, 1, '{}', '2024-01-01T00:00:00.000Z')
                """);
            c.Execute("INSERT INTO sweep_trials (sweep_id, trial_id, ordinal) VALUES (1, 't1', 0)");
        }

        using (var store = ResultsStore.Open(db.Path))
        {
            var old = Assert.Single(store.TrialsOf("old"));
            Assert.Equal(("t1", null), (old.TrialId, old.Engine));   // trained before engines were recorded
            store.Heartbeat("silo-a", "host-a", 2, 1); // a version-2 table works
            Assert.Equal("silo-a", Assert.Single(store.Silos()).Name);
            var attempt = store.BeginAttempt("t1", "h");
            store.MarkStarted("t1", attempt, "h", "numerics 2, avx512");   // and a version-3 column
            Assert.Equal("numerics 2, avx512", store.GetTrial("t1").Engine);
        }
        using var check = Raw(db.Path);
        Assert.Equal(new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 }, check.Query<int>("SELECT version FROM schema_version ORDER BY version"));
        Assert.Equal("t1", check.ExecuteScalar<string>("SELECT trial_id FROM results WHERE sweep = 'old'"));
    }

    [Fact]
    public void VersionFourTrialsKeepEveryColumnThroughTheRebuildForNewStatuses()
    {
        using var db = new TempDatabase();
        string before;
        using (var c = Raw(db.Path))
        {
            SchemaMigrations.Migrate(c, db.Path, "2024-01-01T00:00:00.000Z", target: 4);
            c.Execute("INSERT INTO sweeps (name, spec_text, spec_sha256, created_at) VALUES ('old', 'x', 'abc', '2024-01-01T00:00:00.000Z')");
            c.Execute("""
                INSERT INTO trials (trial_id, sweep_id, ordinal, status, attempts, host, latent, sigma, beta, lr, hidden, activation,
                                    likelihood, epochs, batch_size, seed, config_json, created_at, started_at, finished_at, seconds,
                                    error, diverged_epoch, engine)
                VALUES ('t1', 1, 0, 'diverged', 2, 'h', 20, 0.1, 1, 0.001, '400', 'relu', 'gaussian', 10, 128, 1, '{}',
                        '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:01.000Z', '2024-01-01T00:00:02.000Z', 1.5, 'nan', 3, 'numerics 2')
                """);
            c.Execute("INSERT INTO sweep_trials (sweep_id, trial_id, ordinal) VALUES (1, 't1', 0)");
            c.Execute("INSERT INTO epochs (trial_id, epoch, attempt, valid_elbo) VALUES ('t1', 1, 2, -90)");
            before = string.Join('|', c.Query("SELECT * FROM trials").Single() is IDictionary<string, object> row ? row.Values : []);
            Assert.Throws<SqliteException>(() => c.Execute("UPDATE trials SET status = 'pruned'"));
        }

        using (ResultsStore.Open(db.Path)) { }

        using var check = Raw(db.Path);
        var after = string.Join('|', check.Query("SELECT * FROM trials").Single() is IDictionary<string, object> r ? r.Values : []);
        Assert.Equal(before + "|0", after); // and migration 7's retried_after
        Assert.Equal(-90.0, check.ExecuteScalar<double>("SELECT valid_elbo FROM epochs WHERE trial_id = 't1'"));
        Assert.Equal("diverged", check.ExecuteScalar<string>("SELECT status FROM results WHERE trial_id = 't1'"));
        Assert.Equal(1, check.ExecuteScalar<int>("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'trials_by_status'"));
        check.Execute("UPDATE trials SET status = 'pruned'"); // allowed now
        Assert.Throws<SqliteException>(() => check.Execute("UPDATE trials SET status = 'stopped'"));
    }

    [Fact]
    public void VersionFiveSweepsBecomeTheirVersionOneWithEveryTrialAndDecisionKept()
    {
        using var db = new TempDatabase();
        string trialsBefore, decisionsBefore;
        using (var c = Raw(db.Path))
        {
            SchemaMigrations.Migrate(c, db.Path, "2024-01-01T00:00:00.000Z", target: 5);
            c.Execute("INSERT INTO sweeps (name, spec_text, spec_sha256, created_at, status) VALUES ('a', 'name: a', 'sha-a', '2024-01-01T00:00:00.000Z', 'finished')");
            c.Execute("INSERT INTO sweeps (name, spec_text, spec_sha256, created_at) VALUES ('b', 'name: b', 'sha-b', '2024-02-01T00:00:00.000Z')");
            foreach (var (id, sweep, ordinal) in new[] { ("t1", 1, 0), ("t2", 1, 1), ("t3", 2, 0) })
                c.Execute("""
                    INSERT INTO trials (trial_id, sweep_id, ordinal, status, attempts, latent, sigma, beta, lr, hidden, activation,
                                        likelihood, epochs, batch_size, seed, config_json, created_at, engine)
                    VALUES (@id, @sweep, @ordinal, 'pruned', 1, 20, 0.1, 1, 0.001, '400', 'relu', 'gaussian', 10, 128, 1, '{}',
                            '2024-01-01T00:00:00.000Z', 'numerics 2')
                    """, new { id, sweep, ordinal });
            c.Execute("INSERT INTO sweep_trials (sweep_id, trial_id, ordinal) VALUES (1, 't1', 0), (1, 't2', 1), (2, 't3', 0), (2, 't1', 1)");
            c.Execute("""
                INSERT INTO rung_decisions (trial_id, rung, sweep_id, rule, metric, score, cutoff, compared, verdict, decided_at)
                VALUES ('t2', 1, 1, 'asha', 'val_elbo', -90, -80, 3, 'prune', '2024-01-01T00:00:05.000Z')
                """);
            trialsBefore = Rows(c, "SELECT * FROM trials ORDER BY trial_id");
            decisionsBefore = Rows(c, "SELECT * FROM rung_decisions");
        }

        using (var store = ResultsStore.Open(db.Path, time: ManualClock.At("2025-01-01T00:00:00Z")))
        {
            var a = Assert.Single(store.VersionsOf("a"));
            Assert.Equal((1, "name: a", "sha-a", (string?)null), (a.Version, a.SpecText, a.SpecSha256, a.Identity));
            Assert.Equal(DateTimeOffset.Parse("2024-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture), a.CreatedAt);
            Assert.Equal(new[] { "t1", "t2" }, a.Added);
            Assert.Empty(a.Removed);
            Assert.Equal(new[] { "t3", "t1" }, Assert.Single(store.VersionsOf("b")).Added); // in the sweep's own order
            Assert.Equal(new[] { "t1", "t2" }, store.TrialsOf("a").Select(t => t.TrialId));
        }

        using var check = Raw(db.Path);
        // Every column as it was, and the new retried_after at 0 (never retried).
        Assert.Equal(string.Join('\n', trialsBefore.Split('\n').Select(r => r + "|0")), Rows(check, "SELECT * FROM trials ORDER BY trial_id"));
        Assert.Equal(decisionsBefore, Rows(check, "SELECT * FROM rung_decisions"));
        Assert.Equal(2L, check.ExecuteScalar<long>("SELECT count(*) FROM results WHERE trial_id = 't1' AND pruned_epoch IS NULL")); // in both sweeps
        Assert.Equal(1L, check.ExecuteScalar<long>("SELECT pruned_epoch FROM results WHERE trial_id = 't2'"));
        Assert.Empty(check.Query("PRAGMA foreign_key_check"));
        check.Execute("UPDATE trials SET sweep_id = NULL WHERE trial_id = 't3'"); // a trial may now outlive every sweep
    }

    [Fact]
    public void VersionEightAttemptsGetTheStartsTheirStoredRowsProve()
    {
        using var db = new TempDatabase();
        using (var c = Raw(db.Path))
        {
            SchemaMigrations.Migrate(c, db.Path, "2024-01-01T00:00:00.000Z", target: 8);
            c.Execute("INSERT INTO sweeps (name, spec_text, spec_sha256, created_at) VALUES ('old', 'x', 'abc', '2024-01-01T00:00:00.000Z')");
            foreach (var (id, status, attempts, ordinal) in new[]
                     { ("resumed", "finished", 3, 0), ("lost", "running", 2, 1), ("bare", "finished", 2, 2), ("new", "pending", 0, 3) })
            {
                c.Execute("""
                    INSERT INTO trials (trial_id, sweep_id, ordinal, status, attempts, latent, sigma, beta, lr, hidden, activation,
                                        likelihood, epochs, batch_size, seed, config_json, created_at)
                    VALUES (@id, 1, @ordinal, @status, @attempts, 20, 0.1, 1, 0.001, '400', 'relu', 'gaussian', 10, 128, 1, '{}',
                            '2024-01-01T00:00:00.000Z')
                    """, new { id, status, attempts, ordinal });
                c.Execute("INSERT INTO sweep_trials (sweep_id, trial_id, ordinal) VALUES (1, @id, @ordinal)", new { id, ordinal });
            }
            // Attempt 1 trained two epochs, attempt 2 was lost in a queue, attempt 3 resumed and finished.
            c.Execute("INSERT INTO epochs (trial_id, epoch, attempt) VALUES ('resumed', 1, 1), ('resumed', 2, 1), ('resumed', 3, 3)");
        }

        using (ResultsStore.Open(db.Path)) { }

        using var check = Raw(db.Path);
        Assert.Equal("resumed:1,resumed:3,bare:2",
            string.Join(',', check.Query<(string, long)>("SELECT trial_id, attempt FROM attempt_starts ORDER BY trial_id DESC, attempt")
                .Select(r => $"{r.Item1}:{r.Item2}")));
        Assert.Equal("resumed 3/2, lost 2/0, bare 2/1, new 0/0",
            string.Join(", ", check.Query<(string, long, long)>("SELECT trial_id, attempts, started_attempts FROM results ORDER BY ordinal")
                .Select(r => $"{r.Item1} {r.Item2}/{r.Item3}")));
    }

    private static string Rows(SqliteConnection c, string sql) =>
        string.Join('\n', c.Query(sql).Cast<IDictionary<string, object>>().Select(r => string.Join('|', r.Values)));

    [Fact]
    public void NewerDatabaseIsRefusedForWritingAndReading()
    {
        using var db = new TempDatabase();
        using (ResultsStore.Open(db.Path)) { }
        using (var c = Raw(db.Path))
            c.Execute("INSERT INTO schema_version (version, applied_at, description) VALUES (99, 'x', 'from the future')");

        var write = Assert.Throws<ResultsStoreException>(() => ResultsStore.Open(db.Path));
        Assert.Contains("schema version 99", write.Message);
        Assert.Contains("newer than this vaesweep", write.Message);
        var read = Assert.Throws<ResultsStoreException>(() => ResultsStore.Open(db.Path, readOnly: true));
        Assert.Contains("schema version 99", read.Message);
    }

    [Fact]
    public void OlderDatabaseOpenedReadOnlyAsksForAWriterToMigrate()
    {
        using var db = new TempDatabase();
        using (var c = Raw(db.Path)) SchemaMigrations.Migrate(c, db.Path, "2024-01-01T00:00:00.000Z", target: 1);
        var e = Assert.Throws<ResultsStoreException>(() => ResultsStore.Open(db.Path, readOnly: true));
        Assert.Contains("schema version 1", e.Message);
        Assert.Contains("open it once for writing", e.Message);
        using var c2 = Raw(db.Path);
        Assert.Equal(1, c2.ExecuteScalar<int>("SELECT max(version) FROM schema_version")); // untouched
    }

    [Fact]
    public void MissingFileOpenedReadOnlyIsAClearError()
    {
        using var db = new TempDatabase();
        var e = Assert.Throws<ResultsStoreException>(() => ResultsStore.Open(db.Path, readOnly: true));
        Assert.Contains("no results database", e.Message);
        Assert.False(File.Exists(db.Path));
    }

    [Fact]
    public void FileThatIsNotSqliteIsAClearError()
    {
        using var db = new TempDatabase();
        File.WriteAllText(db.Path, new string('x', 4096));
        var e = Assert.Throws<ResultsStoreException>(() => ResultsStore.Open(db.Path));
        Assert.Contains(db.Path, e.Message);
    }

    [Fact]
    public void InvalidOptionsAreRefusedByName()
    {
        using var db = new TempDatabase();
        var e = Assert.Throws<ArgumentException>(() =>
            ResultsStore.Open(db.Path, options: new ResultsStoreOptions { BusyRetries = -1, BusyTimeout = TimeSpan.FromSeconds(-1) }));
        Assert.Contains("busy_retries", e.Message);
        Assert.Contains("busy_timeout", e.Message);
    }
}
