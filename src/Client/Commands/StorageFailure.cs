using Microsoft.Data.Sqlite;

namespace VaeSweep.Client.Commands;

/// <summary>Recognises a write that failed for want of space, and says so in one paragraph a user can act on.</summary>
internal static class StorageFailure
{
    private const int SqliteIoErr = 10;
    private const int SqliteFull = 13;

    /// <summary>SQLITE_FULL, or an I/O error writing to a filesystem with no space left (how a full WAL append may surface).</summary>
    public static bool IsFull(SqliteException e, string dbPath) =>
        e.SqliteErrorCode == SqliteFull || (e.SqliteErrorCode == SqliteIoErr && FreeBytes(dbPath) is < 64 * 1024);

    public static string Describe(string dbPath, SqliteException e)
    {
        var full = Path.GetFullPath(dbPath);
        var free = FreeBytes(full) is { } bytes ? $"{bytes / 1024.0:0} KiB free" : "free space unknown";
        return $"{full}: no space left to write the results database ({free} on its filesystem; SQLite said: {e.Message.TrimEnd('.')}). " +
               "Nothing stored is lost: the write that failed was rolled back as a whole and the database is intact. Free some space " +
               "there and run the same command to go on from where it stopped.";
    }

    /// <summary>Free bytes on the filesystem holding <paramref name="path"/> (or its directory), null when that cannot be told.</summary>
    private static long? FreeBytes(string path)
    {
        try
        {
            var directory = Directory.Exists(path) ? path : Path.GetDirectoryName(Path.GetFullPath(path));
            return string.IsNullOrEmpty(directory) ? null : new DriveInfo(directory).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
