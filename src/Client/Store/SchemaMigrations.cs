using Dapper;
using Microsoft.Data.Sqlite;

namespace VaeSweep.Client.Store;

/// <summary>
/// The schema as ordered forward migrations. Version N is reached by applying migrations 1..N in order,
/// each in its own transaction together with the schema_version bump, so a crash leaves the database at
/// some whole version. Never edit a released migration: add the next one.
/// </summary>
/// <remarks>
/// Trials are keyed by trial_id alone. A trial id is the hash of a fully-resolved config, so one id is one
/// experiment whatever sweep asked for it: a sweep re-run, or a new sweep overlapping an old one, finds the
/// trial already there (and finished) and repeats nothing. Sweep membership and order live in sweep_trials;
/// trials.sweep_id/ordinal record the sweep that first added the trial.
/// </remarks>
internal static class SchemaMigrations
{
    /// <param name="RebuildsTables">
    /// The migration drops and re-creates a table others reference, so it runs with foreign keys off (they cannot
    /// be switched inside a transaction) and checks them all before it commits, as sqlite.org/lang_altertable asks.
    /// </param>
    internal sealed record Migration(int Version, string Description, string Sql, bool RebuildsTables = false);

    public static IReadOnlyList<Migration> All { get; } =
    [
        new(1, "sweeps, trials, epochs, evaluations, checkpoints", """
            CREATE TABLE sweeps (
                sweep_id    INTEGER PRIMARY KEY,
                name        TEXT NOT NULL UNIQUE,
                spec_text   TEXT NOT NULL,
                spec_sha256 TEXT NOT NULL,
                created_at  TEXT NOT NULL,
                status      TEXT NOT NULL DEFAULT 'pending'
                            CHECK (status IN ('pending', 'running', 'finished', 'cancelled'))
            );

            CREATE TABLE trials (
                trial_id       TEXT PRIMARY KEY,
                sweep_id       INTEGER NOT NULL REFERENCES sweeps (sweep_id),
                ordinal        INTEGER NOT NULL,
                status         TEXT NOT NULL DEFAULT 'pending'
                               CHECK (status IN ('pending', 'running', 'finished', 'failed', 'diverged', 'cancelled')),
                attempts       INTEGER NOT NULL DEFAULT 0,
                host           TEXT,
                latent         INTEGER NOT NULL,
                sigma          REAL NOT NULL,
                beta           REAL NOT NULL,
                lr             REAL NOT NULL,
                hidden         TEXT NOT NULL,
                activation     TEXT NOT NULL,
                likelihood     TEXT NOT NULL,
                epochs         INTEGER NOT NULL,
                batch_size     INTEGER NOT NULL,
                seed           INTEGER NOT NULL,
                config_json    TEXT NOT NULL,
                created_at     TEXT NOT NULL,
                started_at     TEXT,
                finished_at    TEXT,
                seconds        REAL,
                error          TEXT,
                diverged_epoch INTEGER
            );
            CREATE INDEX trials_by_status ON trials (status);

            CREATE TABLE sweep_trials (
                sweep_id INTEGER NOT NULL REFERENCES sweeps (sweep_id),
                trial_id TEXT NOT NULL REFERENCES trials (trial_id),
                ordinal  INTEGER NOT NULL,
                PRIMARY KEY (sweep_id, trial_id)
            ) WITHOUT ROWID;
            CREATE INDEX sweep_trials_by_trial ON sweep_trials (trial_id);

            -- Metric columns may hold NULL: SQLite stores a NaN as NULL, and a diverging epoch has NaNs.
            CREATE TABLE epochs (
                trial_id        TEXT NOT NULL REFERENCES trials (trial_id),
                epoch           INTEGER NOT NULL,
                attempt         INTEGER NOT NULL,
                train_objective REAL,
                train_elbo      REAL,
                train_kl        REAL,
                train_recon     REAL,
                valid_elbo      REAL,
                valid_kl        REAL,
                valid_recon     REAL,
                seconds         REAL,
                samples_per_sec REAL,
                PRIMARY KEY (trial_id, epoch)
            ) WITHOUT ROWID;

            CREATE TABLE evaluations (
                trial_id    TEXT NOT NULL REFERENCES trials (trial_id),
                split       TEXT NOT NULL CHECK (split IN ('validation', 'test')),
                attempt     INTEGER NOT NULL,
                k           INTEGER NOT NULL,
                n           INTEGER NOT NULL,
                mean        REAL,
                se          REAL,
                mean_elbo   REAL,
                per_example BLOB,
                PRIMARY KEY (trial_id, split)
            );

            CREATE TABLE checkpoints (
                trial_id   TEXT PRIMARY KEY REFERENCES trials (trial_id),
                epoch      INTEGER NOT NULL,
                attempt    INTEGER NOT NULL,
                bytes      BLOB NOT NULL,
                sha256     TEXT NOT NULL,
                created_at TEXT NOT NULL
            );
            """),
        new(2, "silos for cluster status; failed attempts; results view for ad-hoc queries", """
            CREATE TABLE silos (
                name           TEXT PRIMARY KEY,
                host           TEXT NOT NULL,
                slots          INTEGER NOT NULL,
                running        INTEGER NOT NULL,
                last_heartbeat TEXT NOT NULL
            );

            -- Attempts that failed and were given out again; the trial's final failure is trials.status = 'failed'.
            CREATE TABLE attempt_failures (
                trial_id  TEXT NOT NULL REFERENCES trials (trial_id),
                attempt   INTEGER NOT NULL,
                error     TEXT NOT NULL,
                failed_at TEXT NOT NULL,
                PRIMARY KEY (trial_id, attempt)
            ) WITHOUT ROWID;

            -- One row per (sweep, trial) with the held-out figures, for `vaesweep query` and sqlite3 users.
            CREATE VIEW results AS
            SELECT s.name AS sweep, st.ordinal, t.trial_id, t.status, t.attempts, t.host,
                   t.latent, t.sigma, t.beta, t.lr, t.hidden, t.activation, t.likelihood,
                   t.epochs, t.batch_size, t.seed, t.seconds, t.error, t.diverged_epoch,
                   v.mean AS heldout_ll, v.se AS heldout_ll_se, v.k AS heldout_k, v.n AS heldout_n,
                   te.mean AS test_ll, te.se AS test_ll_se
            FROM sweep_trials st
            JOIN sweeps s ON s.sweep_id = st.sweep_id
            JOIN trials t ON t.trial_id = st.trial_id
            LEFT JOIN evaluations v ON v.trial_id = t.trial_id AND v.split = 'validation'
            LEFT JOIN evaluations te ON te.trial_id = t.trial_id AND te.split = 'test';
            """),
        new(3, "the engine build that trained each trial, so reproduce can explain a mismatch", """
            -- EngineInfo.Descriptor of the silo(s) that ran the trial, e.g. 'numerics 2, avx512'; ' + ' joins
            -- different ones when attempts ran on different machines. NULL before this version.
            ALTER TABLE trials ADD COLUMN engine TEXT;
            """),
        new(4, "final weights of finished trials, so report can run the decoder", """
            -- The weights of a finished trial's last checkpoint (TrainedVae.WeightsOnly; another engine's checkpoint
            -- as it came), stored in the transaction that finishes it, as checkpoints only serve resuming.
            CREATE TABLE trial_weights (
                trial_id   TEXT PRIMARY KEY REFERENCES trials (trial_id),
                epoch      INTEGER NOT NULL,
                bytes      BLOB NOT NULL,
                sha256     TEXT NOT NULL,
                created_at TEXT NOT NULL
            );
            """),
        new(5, "early stopping: paused and pruned trials, and the decisions made at each rung", """
            -- SQLite cannot widen a CHECK in place: trials is rebuilt with the same columns, in the same order, and
            -- two more statuses. The view reading it is dropped first and made again after (sqlite.org/lang_altertable).
            DROP VIEW results;
            CREATE TABLE trials_v5 (
                trial_id       TEXT PRIMARY KEY,
                sweep_id       INTEGER NOT NULL REFERENCES sweeps (sweep_id),
                ordinal        INTEGER NOT NULL,
                status         TEXT NOT NULL DEFAULT 'pending'
                               CHECK (status IN ('pending', 'running', 'paused', 'finished', 'pruned', 'failed', 'diverged', 'cancelled')),
                attempts       INTEGER NOT NULL DEFAULT 0,
                host           TEXT,
                latent         INTEGER NOT NULL,
                sigma          REAL NOT NULL,
                beta           REAL NOT NULL,
                lr             REAL NOT NULL,
                hidden         TEXT NOT NULL,
                activation     TEXT NOT NULL,
                likelihood     TEXT NOT NULL,
                epochs         INTEGER NOT NULL,
                batch_size     INTEGER NOT NULL,
                seed           INTEGER NOT NULL,
                config_json    TEXT NOT NULL,
                created_at     TEXT NOT NULL,
                started_at     TEXT,
                finished_at    TEXT,
                seconds        REAL,
                error          TEXT,
                diverged_epoch INTEGER,
                engine         TEXT
            );
            INSERT INTO trials_v5 SELECT trial_id, sweep_id, ordinal, status, attempts, host, latent, sigma, beta, lr, hidden,
                activation, likelihood, epochs, batch_size, seed, config_json, created_at, started_at, finished_at, seconds,
                error, diverged_epoch, engine FROM trials;
            DROP TABLE trials;
            ALTER TABLE trials_v5 RENAME TO trials;
            CREATE INDEX trials_by_status ON trials (status);

            -- One row per early-stopping decision: the trial's score at the rung (an epoch), the score it had to
            -- reach there, and how many earlier trials of the sweep (in sweep order) it was compared with.
            -- cutoff is NULL when there were fewer than the schedule's min_trials to compare with.
            CREATE TABLE rung_decisions (
                trial_id   TEXT NOT NULL REFERENCES trials (trial_id),
                rung       INTEGER NOT NULL,
                sweep_id   INTEGER NOT NULL REFERENCES sweeps (sweep_id),
                rule       TEXT NOT NULL CHECK (rule IN ('asha', 'median')),
                metric     TEXT NOT NULL,
                score      REAL,
                cutoff     REAL,
                compared   INTEGER NOT NULL,
                verdict    TEXT NOT NULL CHECK (verdict IN ('continue', 'prune')),
                decided_at TEXT NOT NULL,
                PRIMARY KEY (trial_id, rung)
            ) WITHOUT ROWID;

            CREATE VIEW results AS
            SELECT s.name AS sweep, st.ordinal, t.trial_id, t.status, t.attempts, t.host,
                   t.latent, t.sigma, t.beta, t.lr, t.hidden, t.activation, t.likelihood,
                   t.epochs, t.batch_size, t.seed, t.seconds, t.error, t.diverged_epoch,
                   v.mean AS heldout_ll, v.se AS heldout_ll_se, v.k AS heldout_k, v.n AS heldout_n,
                   te.mean AS test_ll, te.se AS test_ll_se,
                   (SELECT d.rung FROM rung_decisions d WHERE d.trial_id = t.trial_id AND d.verdict = 'prune') AS pruned_epoch
            FROM sweep_trials st
            JOIN sweeps s ON s.sweep_id = st.sweep_id
            JOIN trials t ON t.trial_id = st.trial_id
            LEFT JOIN evaluations v ON v.trial_id = t.trial_id AND v.split = 'validation'
            LEFT JOIN evaluations te ON te.trial_id = t.trial_id AND te.split = 'test';
            """, RebuildsTables: true),
        new(6, "sweep leases: one client at a time trains a sweep and every trial it shares", """
            -- The client running a sweep holds its lease and renews it (heartbeat_at, expires_at) while it runs. Another
            -- client may take it only once it has expired, or sooner when the holder was on the same host and its
            -- process is gone (pid and process start time). Keyed by sweep name, so a lease is taken before anything
            -- of the sweep is written. Rows are deleted when the holder ends.
            CREATE TABLE sweep_leases (
                sweep           TEXT PRIMARY KEY,
                owner           TEXT NOT NULL,
                host            TEXT NOT NULL,
                pid             INTEGER NOT NULL,
                process_started TEXT NOT NULL,
                taken_at        TEXT NOT NULL,
                heartbeat_at    TEXT NOT NULL,
                expires_at      TEXT NOT NULL
            ) WITHOUT ROWID;
            """),
        new(7, "sweep versions: the accepted spec texts of each sweep and the trials each version added or removed", """
            -- A sweep may now be removed while trials it added stay (rm --keep-trials, or trials another sweep lists):
            -- trials.sweep_id and rung_decisions.sweep_id become nullable, which SQLite can only do by rebuilding the
            -- tables with the same columns in the same order (sqlite.org/lang_altertable). The view is made again after.
            DROP VIEW results;
            CREATE TABLE trials_v7 (
                trial_id       TEXT PRIMARY KEY,
                sweep_id       INTEGER REFERENCES sweeps (sweep_id),
                ordinal        INTEGER NOT NULL,
                status         TEXT NOT NULL DEFAULT 'pending'
                               CHECK (status IN ('pending', 'running', 'paused', 'finished', 'pruned', 'failed', 'diverged', 'cancelled')),
                attempts       INTEGER NOT NULL DEFAULT 0,
                host           TEXT,
                latent         INTEGER NOT NULL,
                sigma          REAL NOT NULL,
                beta           REAL NOT NULL,
                lr             REAL NOT NULL,
                hidden         TEXT NOT NULL,
                activation     TEXT NOT NULL,
                likelihood     TEXT NOT NULL,
                epochs         INTEGER NOT NULL,
                batch_size     INTEGER NOT NULL,
                seed           INTEGER NOT NULL,
                config_json    TEXT NOT NULL,
                created_at     TEXT NOT NULL,
                started_at     TEXT,
                finished_at    TEXT,
                seconds        REAL,
                error          TEXT,
                diverged_epoch INTEGER,
                engine         TEXT
            );
            INSERT INTO trials_v7 SELECT trial_id, sweep_id, ordinal, status, attempts, host, latent, sigma, beta, lr, hidden,
                activation, likelihood, epochs, batch_size, seed, config_json, created_at, started_at, finished_at, seconds,
                error, diverged_epoch, engine FROM trials;
            DROP TABLE trials;
            ALTER TABLE trials_v7 RENAME TO trials;
            CREATE INDEX trials_by_status ON trials (status);
            -- The trial's attempts when it was last retried (run --retry-failed/--retry-diverged): failures are counted
            -- against --max-failures from there on, while attempt_failures keeps the ones before.
            ALTER TABLE trials ADD COLUMN retried_after INTEGER NOT NULL DEFAULT 0;

            CREATE TABLE rung_decisions_v7 (
                trial_id   TEXT NOT NULL REFERENCES trials (trial_id),
                rung       INTEGER NOT NULL,
                sweep_id   INTEGER REFERENCES sweeps (sweep_id),
                rule       TEXT NOT NULL CHECK (rule IN ('asha', 'median')),
                metric     TEXT NOT NULL,
                score      REAL,
                cutoff     REAL,
                compared   INTEGER NOT NULL,
                verdict    TEXT NOT NULL CHECK (verdict IN ('continue', 'prune')),
                decided_at TEXT NOT NULL,
                PRIMARY KEY (trial_id, rung)
            ) WITHOUT ROWID;
            INSERT INTO rung_decisions_v7 SELECT trial_id, rung, sweep_id, rule, metric, score, cutoff, compared, verdict,
                decided_at FROM rung_decisions;
            DROP TABLE rung_decisions;
            ALTER TABLE rung_decisions_v7 RENAME TO rung_decisions;

            CREATE VIEW results AS
            SELECT s.name AS sweep, st.ordinal, t.trial_id, t.status, t.attempts, t.host,
                   t.latent, t.sigma, t.beta, t.lr, t.hidden, t.activation, t.likelihood,
                   t.epochs, t.batch_size, t.seed, t.seconds, t.error, t.diverged_epoch,
                   v.mean AS heldout_ll, v.se AS heldout_ll_se, v.k AS heldout_k, v.n AS heldout_n,
                   te.mean AS test_ll, te.se AS test_ll_se,
                   (SELECT d.rung FROM rung_decisions d WHERE d.trial_id = t.trial_id AND d.verdict = 'prune') AS pruned_epoch
            FROM sweep_trials st
            JOIN sweeps s ON s.sweep_id = st.sweep_id
            JOIN trials t ON t.trial_id = st.trial_id
            LEFT JOIN evaluations v ON v.trial_id = t.trial_id AND v.split = 'validation'
            LEFT JOIN evaluations te ON te.trial_id = t.trial_id AND te.split = 'test';

            -- Each accepted version of a sweep's spec. identity is the hash of what the spec means (its trial ids and
            -- its schedule, see SweepIdentity), so a reformatted spec is the same version; settings is the schedule as
            -- canonical JSON. Both are NULL for the version 1 this migration makes of each existing sweep: that text
            -- is parsed again when a later run needs them. sweeps.spec_text stays the newest version's text.
            CREATE TABLE sweep_versions (
                sweep_id    INTEGER NOT NULL REFERENCES sweeps (sweep_id),
                version     INTEGER NOT NULL,
                spec_text   TEXT NOT NULL,
                spec_sha256 TEXT NOT NULL,
                identity    TEXT,
                settings    TEXT,
                created_at  TEXT NOT NULL,
                PRIMARY KEY (sweep_id, version)
            ) WITHOUT ROWID;

            -- The trials each version added to or removed from the sweep, with the trial's place (ordinal) in the sweep;
            -- sweep_trials holds the current members only, so every reader sees just them. A trial that left keeps its
            -- row here and gets its old ordinal back when a later version lists it again. No reference to trials:
            -- history outlives a trial removed with another sweep.
            CREATE TABLE sweep_version_trials (
                sweep_id INTEGER NOT NULL,
                version  INTEGER NOT NULL,
                trial_id TEXT NOT NULL,
                change   TEXT NOT NULL CHECK (change IN ('added', 'removed')),
                ordinal  INTEGER NOT NULL,
                PRIMARY KEY (sweep_id, version, trial_id),
                FOREIGN KEY (sweep_id, version) REFERENCES sweep_versions (sweep_id, version)
            ) WITHOUT ROWID;
            CREATE INDEX sweep_version_trials_by_trial ON sweep_version_trials (trial_id);

            INSERT INTO sweep_versions (sweep_id, version, spec_text, spec_sha256, identity, settings, created_at)
            SELECT sweep_id, 1, spec_text, spec_sha256, NULL, NULL, created_at FROM sweeps;
            INSERT INTO sweep_version_trials (sweep_id, version, trial_id, change, ordinal)
            SELECT sweep_id, 1, trial_id, 'added', ordinal FROM sweep_trials;
            """, RebuildsTables: true),
        new(8, "latent statistics of each held-out estimate: active units, rate, distortion, KL per dimension", """
            -- On the estimate's own examples (issue 21). NULL for estimates stored before this version, which had none.
            -- active_threshold is the Cov_x(E_q[z_u|x]) a unit had to exceed to count in active_units.
            ALTER TABLE evaluations ADD COLUMN active_threshold REAL;
            ALTER TABLE evaluations ADD COLUMN active_units INTEGER;
            ALTER TABLE evaluations ADD COLUMN rate REAL;
            ALTER TABLE evaluations ADD COLUMN distortion REAL;

            -- One row per latent unit: its mean KL(q(z_u|x) ‖ N(0,1)) and its activity Cov_x(E_q[z_u|x]).
            CREATE TABLE latent_dimensions (
                trial_id TEXT NOT NULL REFERENCES trials (trial_id),
                split    TEXT NOT NULL CHECK (split IN ('validation', 'test')),
                dim      INTEGER NOT NULL,
                kl       REAL,
                activity REAL,
                PRIMARY KEY (trial_id, split, dim)
            ) WITHOUT ROWID;

            -- The figures per (sweep, trial, split) for `vaesweep query`; gap = log-likelihood − ELBO (≥ 0 up to noise).
            CREATE VIEW latent_results AS
            SELECT s.name AS sweep, t.trial_id, e.split, t.latent, t.beta, e.active_units, e.active_threshold,
                   e.rate, e.distortion, e.mean AS ll, e.mean_elbo AS elbo, e.mean - e.mean_elbo AS gap
            FROM sweep_trials st
            JOIN sweeps s ON s.sweep_id = st.sweep_id
            JOIN trials t ON t.trial_id = st.trial_id
            JOIN evaluations e ON e.trial_id = t.trial_id;
            """),
        new(9, "attempts that started (attempts given out but never run show as such); silos that stopped", """
            -- When the client that recorded a silo saw it stop (the embedded silo stops with its run): status shows it gone at
            -- once instead of up until its last heartbeat goes stale. NULL while it runs; a new heartbeat clears it.
            ALTER TABLE silos ADD COLUMN stopped_at TEXT;

            -- trials.attempts counts attempts given out (the client numbers them); one may never start (its silo died while it
            -- was queued, the sweep was cancelled, the client was killed). A row here is an attempt whose worker sent its start;
            -- a re-delivered start adds nothing. host and started_at are NULL for rows backfilled below.
            CREATE TABLE attempt_starts (
                trial_id   TEXT NOT NULL REFERENCES trials (trial_id),
                attempt    INTEGER NOT NULL,
                host       TEXT,
                started_at TEXT,
                PRIMARY KEY (trial_id, attempt)
            ) WITHOUT ROWID;

            -- Backfill from what attempts left behind: an attempt that stored an epoch, a checkpoint or an estimate had
            -- started. A finished, pruned or diverged trial with none of those (none is known) gets its last attempt.
            -- Starts that left nothing (stopped before an epoch ended) cannot be told apart from attempts never run: the
            -- backfill is a lower bound, exact from this version on.
            INSERT INTO attempt_starts (trial_id, attempt)
            SELECT DISTINCT x.trial_id, x.attempt FROM (
                SELECT trial_id, attempt FROM epochs
                UNION SELECT trial_id, attempt FROM checkpoints
                UNION SELECT trial_id, attempt FROM evaluations
            ) x JOIN trials t ON t.trial_id = x.trial_id
            WHERE x.attempt BETWEEN 1 AND t.attempts;
            INSERT INTO attempt_starts (trial_id, attempt)
            SELECT t.trial_id, t.attempts FROM trials t
            WHERE t.status IN ('finished', 'pruned', 'diverged') AND t.attempts > 0
              AND NOT EXISTS (SELECT 1 FROM attempt_starts a WHERE a.trial_id = t.trial_id);

            DROP VIEW results;
            CREATE VIEW results AS
            SELECT s.name AS sweep, st.ordinal, t.trial_id, t.status, t.attempts,
                   (SELECT count(*) FROM attempt_starts a WHERE a.trial_id = t.trial_id) AS started_attempts, t.host,
                   t.latent, t.sigma, t.beta, t.lr, t.hidden, t.activation, t.likelihood,
                   t.epochs, t.batch_size, t.seed, t.seconds, t.error, t.diverged_epoch,
                   v.mean AS heldout_ll, v.se AS heldout_ll_se, v.k AS heldout_k, v.n AS heldout_n,
                   te.mean AS test_ll, te.se AS test_ll_se,
                   (SELECT d.rung FROM rung_decisions d WHERE d.trial_id = t.trial_id AND d.verdict = 'prune') AS pruned_epoch
            FROM sweep_trials st
            JOIN sweeps s ON s.sweep_id = st.sweep_id
            JOIN trials t ON t.trial_id = st.trial_id
            LEFT JOIN evaluations v ON v.trial_id = t.trial_id AND v.split = 'validation'
            LEFT JOIN evaluations te ON te.trial_id = t.trial_id AND te.split = 'test';
            """),
    ];

    public static int Latest => All[^1].Version;

    /// <summary>The database's schema version; 0 for a database without the schema_version table.</summary>
    public static int CurrentVersion(SqliteConnection connection, SqliteTransaction? transaction = null)
    {
        var hasTable = connection.ExecuteScalar<long>(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'",
            transaction: transaction) > 0;
        if (!hasTable)
        {
            // Results tables without their version (schema_version deleted by hand): migrating from 0 would fail on
            // "table already exists", and guessing the version could apply a migration twice.
            var hasResults = connection.ExecuteScalar<long>(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'sweeps'", transaction: transaction) > 0;
            if (hasResults)
                throw new ResultsStoreException(
                    $"{connection.DataSource}: holds results tables but no schema_version table (was it dropped by hand?), so its " +
                    "schema version is unknown; restore the table from a backup, or recreate it with the version the database was last " +
                    "opened at: CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at TEXT NOT NULL, description TEXT NOT NULL)");
            return 0;
        }

        return connection.ExecuteScalar<int?>("SELECT max(version) FROM schema_version", transaction: transaction) ?? 0;
    }

    /// <summary>
    /// Brings the database forward to <paramref name="target"/> (the latest by default). Refuses a database
    /// newer than this code knows, naming both versions. Returns the versions applied.
    /// </summary>
    public static IReadOnlyList<int> Migrate(SqliteConnection connection, string path, string appliedAt, int? target = null)
    {
        var goal = target ?? Latest;
        var applied = new List<int>();
        foreach (var migration in All)
        {
            if (migration.Version > goal) break;
            var foreignKeys = connection.ExecuteScalar<long>("PRAGMA foreign_keys") == 1;
            if (migration.RebuildsTables && foreignKeys) connection.Execute("PRAGMA foreign_keys = OFF");
            try
            {
                if (Apply(connection, migration, path, appliedAt)) applied.Add(migration.Version);
            }
            finally
            {
                if (migration.RebuildsTables && foreignKeys) connection.Execute("PRAGMA foreign_keys = ON");
            }
        }
        return applied;
    }

    /// <summary>Applies one migration in its own transaction; false when the database already has it.</summary>
    private static bool Apply(SqliteConnection connection, Migration migration, string path, string appliedAt)
    {
        // BEGIN IMMEDIATE takes the write lock before we read the version, so two processes
        // opening the same file at once cannot both apply the same migration.
        using var tx = connection.BeginTransaction(deferred: false);
        var current = CurrentVersion(connection, tx);
        ThrowIfNewer(current, path);
        if (current >= migration.Version) return false;
        // Each migration follows the one before it in the list (numbers are handed out ahead of merging, so they may skip).
        var previous = All.TakeWhile(m => m.Version < migration.Version).Select(m => m.Version).DefaultIfEmpty(0).Max();
        if (current != previous)
            throw new ResultsStoreException(
                $"{path}: schema version {current} cannot be migrated to {migration.Version}; a migration is missing");
        if (current == 0)
            connection.Execute(
                "CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at TEXT NOT NULL, description TEXT NOT NULL)",
                transaction: tx);
        connection.Execute(migration.Sql, transaction: tx);
        if (migration.RebuildsTables && connection.Query("PRAGMA foreign_key_check", transaction: tx).Any())
            throw new ResultsStoreException(
                $"{path}: migration {migration.Version} would leave rows referring to missing ones; nothing was changed");
        connection.Execute(
            "INSERT INTO schema_version (version, applied_at, description) VALUES (@Version, @appliedAt, @Description)",
            new { migration.Version, appliedAt, migration.Description }, tx);
        tx.Commit();
        return true;
    }

    public static void ThrowIfNewer(int version, string path)
    {
        if (version > Latest)
            throw new ResultsStoreException(
                $"{path}: results database has schema version {version}, newer than this vaesweep understands " +
                $"(up to {Latest}); use a newer vaesweep to open it");
    }
}
