using Microsoft.Data.Sqlite;

namespace VaeSweep.Client.Tests.Fixtures;

/// <summary>Changes a results database behind vaesweep's back, as another tool or an older vaesweep would.</summary>
internal static class RawSql
{
    public static void Execute(string path, string sql)
    {
        using var db = new SqliteConnection($"Data Source={path};Pooling=False");
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
