using System.Data;
using Dapper;
using Microsoft.Data.Sqlite;

namespace VaeSweep.Client.Store;

/// <summary>
/// The sweep results database. The client process opens it once for writing and is its only writer;
/// anyone else (vaesweep top/query, sqlite3) opens it read-only. WAL mode means those readers never block
/// the running sweep and the sweep never blocks them; every multi-row write is one transaction, so a
/// reader sees a trial's finish (evaluations, status, timings) all at once or not at all.
/// </summary>
/// <remarks>
/// Every verb goes through <see cref="Run{T}"/>, the one place that owns the connection, the transaction
/// and busy retries; the verbs only say what SQL to run. Writes keyed by trial and attempt are
/// idempotent: a write from an attempt older than the trial's current one, or to a trial no longer
/// running, changes nothing and returns false, so re-delivered messages are harmless.
/// Thread-safe: calls are serialised on one connection (SQLite has one writer at a time anyway).
/// </remarks>
public sealed partial class ResultsStore : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly ResultsStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private bool _disposed;

    private ResultsStore(string path, bool readOnly, SqliteConnection connection, ResultsStoreOptions options, TimeProvider time)
    {
        Path = path;
        IsReadOnly = readOnly;
        _connection = connection;
        _options = options;
        _time = time;
    }

    /// <summary>The schema version this code writes and understands.</summary>
    public static int SchemaVersion => SchemaMigrations.Latest;

    /// <summary>The database file.</summary>
    public string Path { get; }

    public bool IsReadOnly { get; }

    /// <summary>Test hook: runs inside each write transaction just before it commits, with the verb's name.</summary>
    internal Action<string>? BeforeCommit { get; set; }

    /// <summary>
    /// Opens (and for writing, creates and migrates forward) the database at <paramref name="path"/>.
    /// Read-only opening needs an existing database at the current schema version.
    /// </summary>
    /// <exception cref="ResultsStoreException">The file is missing (read-only), not a results database,
    /// newer than this code, or older and opened read-only.</exception>
    public static ResultsStore Open(string path, bool readOnly = false, ResultsStoreOptions? options = null, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options ??= new ResultsStoreOptions();
        var errors = options.Validate();
        if (errors.Count > 0)
            throw new ArgumentException($"results store options: {string.Join("; ", errors)}", nameof(options));
        time ??= TimeProvider.System;
        var fullPath = System.IO.Path.GetFullPath(path);
        if (readOnly && !File.Exists(fullPath))
            throw new ResultsStoreException($"{fullPath}: no results database here");
        if (!readOnly)
        {
            var directory = System.IO.Path.GetDirectoryName(fullPath);
            if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        }

        var connection = Connect(fullPath, readOnly, options);
        try
        {
            if (readOnly)
            {
                var version = SchemaMigrations.CurrentVersion(connection);
                SchemaMigrations.ThrowIfNewer(version, fullPath);
                if (version < SchemaMigrations.Latest)
                    throw new ResultsStoreException(
                        $"{fullPath}: results database has schema version {version}, older than this vaesweep's " +
                        $"{SchemaMigrations.Latest}; open it once for writing (e.g. resume the sweep) to migrate it");
            }
            else
            {
                // journal_mode is persistent in the file; it cannot change inside a transaction, so set it first.
                var mode = connection.ExecuteScalar<string>("PRAGMA journal_mode = WAL");
                if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
                    throw new ResultsStoreException($"{fullPath}: could not switch the database to WAL mode (got '{mode}')");
                SchemaMigrations.Migrate(connection, fullPath, Timestamps.ToText(time.GetUtcNow()));
            }
            return new ResultsStore(fullPath, readOnly, connection, options, time);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 26) // SQLITE_NOTADB
        {
            connection.Dispose();
            throw new ResultsStoreException($"{fullPath}: not a SQLite database", e);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The schema version of the existing database at <paramref name="path"/>, read without writing anything
    /// (0 for a SQLite file that is not a results database yet).
    /// </summary>
    /// <exception cref="ResultsStoreException">The file is missing or not a SQLite database.</exception>
    public static int StoredSchemaVersion(string path)
    {
        var fullPath = System.IO.Path.GetFullPath(path);
        if (!File.Exists(fullPath)) throw new ResultsStoreException($"{fullPath}: no results database here");
        using var connection = Connect(fullPath, readOnly: true, new ResultsStoreOptions());
        try
        {
            return SchemaMigrations.CurrentVersion(connection);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 26) // SQLITE_NOTADB
        {
            throw new ResultsStoreException($"{fullPath}: not a SQLite database", e);
        }
    }

    /// <summary>A connection with the settings every store connection uses.</summary>
    internal static SqliteConnection Connect(string fullPath, bool readOnly, ResultsStoreOptions options)
    {
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate,
            // No pooling: closing the store really closes the file, which checkpoints the WAL.
            Pooling = false,
            ForeignKeys = true,
            // Microsoft.Data.Sqlite retries busy statements itself for this many seconds (0 would mean forever).
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(options.BusyTimeout.TotalSeconds)),
        };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            connection.Execute($"PRAGMA busy_timeout = {(int)options.BusyTimeout.TotalMilliseconds}");
            if (!readOnly) connection.Execute("PRAGMA synchronous = NORMAL");
            return connection;
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw new ResultsStoreException($"{fullPath}: cannot open the results database: {e.Message}", e);
        }
    }

    /// <summary>
    /// The single command path: one unit of work in one transaction on the store's connection, retried
    /// whole when another connection holds a lock past the busy timeout. Writes take the write lock up
    /// front (BEGIN IMMEDIATE) so a unit never fails half-way on a lock upgrade; reads use a deferred
    /// transaction, which in WAL mode is a consistent snapshot that never waits for the writer.
    /// </summary>
    private T Run<T>(string verb, bool write, Func<IDbConnection, IDbTransaction, T> work)
    {
        if (write && IsReadOnly)
            throw new ResultsStoreException($"{Path}: {verb} needs a writable store, but this one was opened read-only");
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            for (var retry = 0; ; retry++)
            {
                try
                {
                    using var tx = _connection.BeginTransaction(deferred: !write);
                    var result = work(_connection, tx);
                    if (write) BeforeCommit?.Invoke(verb);
                    tx.Commit();
                    return result;
                }
                catch (SqliteException e) when (IsBusy(e) && retry < _options.BusyRetries)
                {
                    // Back off a little more each time so a long-held lock gets a chance to clear.
                    Thread.Sleep(TimeSpan.FromMilliseconds(50 * (retry + 1)));
                }
                catch (SqliteException e) when (IsBusy(e))
                {
                    throw new ResultsStoreException(
                        $"{Path}: {verb} gave up: the database stayed locked by another connection " +
                        $"through {_options.BusyRetries + 1} tries of {_options.BusyTimeout.TotalSeconds:0.###} s", e);
                }
            }
        }
    }

    private static bool IsBusy(SqliteException e) => e.SqliteErrorCode is 5 or 6; // SQLITE_BUSY, SQLITE_LOCKED

    private string Now() => Timestamps.ToText(_time.GetUtcNow());

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            _connection.Dispose();
        }
    }
}
