using System.Collections.Frozen;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace VaeSweep.Client.Store;

/// <summary>
/// Lets a connection compile only statements that read. SQLite asks the authorizer about every action
/// while preparing a statement, so a write is refused before anything runs; the connection is also
/// opened Mode=ReadOnly with query_only on, so a gap here still cannot change the file.
/// </summary>
/// <remarks>
/// An allow-list rather than a deny-list: anything SQLite adds later (a new action code) is refused until
/// someone decides it reads. Pragmas are allowed only by name, and the ones that can also set a value
/// (user_version, journal_mode, ...) only without one.
/// </remarks>
internal sealed class ReadOnlyAuthorizer
{
    // Action codes from sqlite3.h.
    private const int SqlitePragma = 19;
    private const int SqliteRead = 20;
    private const int SqliteSelect = 21;
    private const int SqliteFunction = 31;
    private const int SqliteRecursive = 33;
    private const int SqliteOk = 0;
    private const int SqliteDeny = 1;

    // Pragmas whose argument names a thing to describe, never a value to set.
    private static readonly FrozenSet<string> DescribingPragmas = new[]
    {
        "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo",
        "foreign_key_list", "foreign_key_check", "integrity_check", "quick_check",
        "database_list", "collation_list", "function_list", "module_list", "pragma_list", "compile_options",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    // Pragmas that report a setting when given no value and change it when given one.
    private static readonly FrozenSet<string> SettingPragmas = new[]
    {
        "user_version", "schema_version", "application_id", "journal_mode", "page_size", "page_count",
        "freelist_count", "encoding", "auto_vacuum", "data_version", "foreign_keys", "synchronous",
        "busy_timeout", "query_only", "cache_size", "max_page_count",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenSet<string> SchemaTables = new[]
    {
        "sqlite_master", "sqlite_schema", "sqlite_temp_master", "sqlite_temp_schema",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenDictionary<int, string> ActionNames = new Dictionary<int, string>
    {
        [1] = "CREATE INDEX", [2] = "CREATE TABLE", [3] = "CREATE TEMP INDEX", [4] = "CREATE TEMP TABLE",
        [5] = "CREATE TEMP TRIGGER", [6] = "CREATE TEMP VIEW", [7] = "CREATE TRIGGER", [8] = "CREATE VIEW",
        [9] = "DELETE", [10] = "DROP INDEX", [11] = "DROP TABLE", [12] = "DROP TEMP INDEX",
        [13] = "DROP TEMP TABLE", [14] = "DROP TEMP TRIGGER", [15] = "DROP TEMP VIEW", [16] = "DROP TRIGGER",
        [17] = "DROP VIEW", [18] = "INSERT", [19] = "PRAGMA", [22] = "a transaction statement", [23] = "UPDATE",
        [24] = "ATTACH", [25] = "DETACH", [26] = "ALTER TABLE", [27] = "REINDEX", [28] = "ANALYZE",
        [29] = "CREATE VIRTUAL TABLE", [30] = "DROP VIRTUAL TABLE", [32] = "SAVEPOINT",
    }.ToFrozenDictionary();

    // Kept here as well as inside SQLitePCL so the delegate outlives every call SQLite makes into it.
    private readonly strdelegate_authorizer _callback;

    private ReadOnlyAuthorizer() => _callback = Authorize;

    /// <summary>What the last refusal was, e.g. "INSERT into trials"; null when nothing was refused.</summary>
    public string? LastRefusal { get; private set; }

    public static ReadOnlyAuthorizer Install(SqliteConnection connection)
    {
        var authorizer = new ReadOnlyAuthorizer();
        var rc = raw.sqlite3_set_authorizer(connection.Handle, authorizer._callback, null);
        if (rc != SqliteOk)
            throw new ResultsStoreException($"could not install the read-only guard on the query connection (SQLite error {rc})");
        return authorizer;
    }

    private int Authorize(object userData, int action, string? arg1, string? arg2, string? database, string? trigger)
    {
        switch (action)
        {
            case SqliteFunction when string.Equals(arg2, "load_extension", StringComparison.OrdinalIgnoreCase):
                // SQLite itself would say only "not authorized"; name what was refused and why.
                LastRefusal = "load_extension() (it would load native code into this process)";
                return SqliteDeny;
            case SqliteRead:
            case SqliteSelect:
            case SqliteFunction:
            case SqliteRecursive:
                return SqliteOk;
            case SqlitePragma when arg1 is not null && DescribingPragmas.Contains(arg1):
                return SqliteOk;
            case SqlitePragma when arg1 is not null && arg2 is null && SettingPragmas.Contains(arg1):
                return SqliteOk;
            case SqlitePragma:
                LastRefusal = arg2 is null ? $"PRAGMA {arg1}" : $"PRAGMA {arg1} = {arg2}";
                return SqliteDeny;
            // DDL is first authorized as a write to the schema table, so that is the refusal we see.
            case 9 or 18 or 23 when arg1 is not null && SchemaTables.Contains(arg1):
                LastRefusal = "a schema change (CREATE, DROP or ALTER)";
                return SqliteDeny;
            default:
                var what = ActionNames.TryGetValue(action, out var name) ? name : $"action {action}";
                LastRefusal = string.IsNullOrEmpty(arg1) ? what : $"{what} on {arg1}";
                return SqliteDeny;
        }
    }
}
