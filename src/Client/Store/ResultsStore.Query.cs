using Dapper;
using Microsoft.Data.Sqlite;

namespace VaeSweep.Client.Store;

public sealed partial class ResultsStore
{
    /// <summary>
    /// Runs the user's SQL on a fresh connection that can only read: opened Mode=ReadOnly with
    /// query_only on, and an authorizer that refuses, before anything runs, every statement that would
    /// write (INSERT, UPDATE, DELETE, DDL, ATTACH, setting PRAGMAs, transactions). Returns the last result
    /// set, at most <paramref name="maxRows"/> rows. Works the same on a writable or read-only store.
    /// </summary>
    /// <exception cref="ResultsStoreException">"query is read-only: ..." for a write; "query failed: ..." for bad SQL.</exception>
    /// <param name="timeout">Stops the statement (sqlite3_interrupt) once it has run this long; null: no limit.</param>
    public QueryResult QueryReadOnly(string sql, int maxRows = 10_000, TimeSpan? timeout = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRows);
        if (timeout is { } t) ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(t, TimeSpan.Zero, nameof(timeout));
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var connection = Connect(Path, readOnly: true, _options);
        connection.Execute("PRAGMA query_only = ON");
        var guard = ReadOnlyAuthorizer.Install(connection);
        var interrupted = false;
        // sqlite3_interrupt may be called from any thread; it makes the running statement fail with SQLITE_INTERRUPT.
        using var limit = timeout is { } after
            ? _time.CreateTimer(_ =>
            {
                interrupted = true;
                SQLitePCL.raw.sqlite3_interrupt(connection.Handle);
            }, null, after, Timeout.InfiniteTimeSpan)
            : null;
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            using var reader = command.ExecuteReader();
            QueryResult? last = null;
            do
            {
                if (reader.FieldCount == 0) continue;
                var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
                var rows = new List<IReadOnlyList<object?>>();
                var truncated = false;
                while (reader.Read())
                {
                    if (rows.Count == maxRows) { truncated = true; break; }
                    var row = new object?[reader.FieldCount];
                    for (var i = 0; i < row.Length; i++)
                        row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                    rows.Add(row);
                }
                last = new QueryResult(columns, rows, truncated);
            } while (reader.NextResult());
            return last ?? new QueryResult([], []);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 9 && interrupted) // SQLITE_INTERRUPT
        {
            throw new ResultsStoreException($"query stopped after {timeout!.Value.TotalSeconds:0.###} s (--timeout); nothing was changed", e);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 23 || guard.LastRefusal is not null) // SQLITE_AUTH
        {
            throw new ResultsStoreException($"query is read-only: {guard.LastRefusal ?? "the statement would write"} is not allowed", e);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 8) // SQLITE_READONLY: the second line of defence held
        {
            throw new ResultsStoreException($"query is read-only: {e.Message}", e);
        }
        catch (SqliteException e)
        {
            throw new ResultsStoreException($"query failed: {e.Message}", e);
        }
    }
}
