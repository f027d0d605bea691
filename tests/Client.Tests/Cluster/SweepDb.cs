using Microsoft.Data.Sqlite;

namespace VaeSweep.Client.Tests.Cluster;

/// <summary>
/// Read-only looks into a results database that a client process may be writing at that moment (WAL mode
/// lets a reader in at any time). A database not created yet reads as empty.
/// </summary>
internal sealed class SweepDb(string path)
{
    public string Path { get; } = path;

    public long Scalar(string sql)
    {
        using var db = Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        var value = cmd.ExecuteScalar();
        return value is null or DBNull ? 0 : Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
    }

    public string Text(string sql)
    {
        using var db = Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToString(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) ?? "";
    }

    /// <summary>Every row of <paramref name="sql"/>, columns joined by '|', for comparisons and failure messages.</summary>
    public IReadOnlyList<string> Rows(string sql)
    {
        using var db = Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        using var reader = cmd.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
            rows.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount)
                .Select(i => Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        return rows;
    }

    /// <summary>A scalar that is 0 while the database or its schema does not exist yet.</summary>
    public long Poll(string sql)
    {
        if (!File.Exists(Path)) return 0;
        try
        {
            return Scalar(sql);
        }
        catch (SqliteException)
        {
            return 0;
        }
    }

    /// <summary>Trials, attempts and epochs at a glance, for assertion messages.</summary>
    public string Describe()
    {
        if (!File.Exists(Path)) return "(no database)";
        try
        {
            return string.Join('\n', Rows("""
                SELECT trial_id, status, attempts, host, error,
                       (SELECT group_concat(attempt || ':' || n, ' ') FROM
                           (SELECT attempt, count(*) AS n FROM epochs e WHERE e.trial_id = t.trial_id GROUP BY attempt)) AS epochs_by_attempt
                FROM trials t ORDER BY ordinal
                """));
        }
        catch (SqliteException e)
        {
            return $"(unreadable: {e.Message})";
        }
    }

    private SqliteConnection Open()
    {
        var db = new SqliteConnection($"Data Source={Path};Mode=ReadOnly;Pooling=False");
        db.Open();
        return db;
    }
}
