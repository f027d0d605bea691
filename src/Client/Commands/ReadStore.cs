using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.Sqlite;
using VaeSweep.Client.Store;

namespace VaeSweep.Client.Commands;

/// <summary>Opens an existing results database for reading, so a mistyped --db never creates an empty one.</summary>
internal static class ReadStore
{
    public static bool TryOpen(CliContext context, string path, [NotNullWhen(true)] out ResultsStore? store)
    {
        store = null;
        if (!File.Exists(path))
        {
            context.Fail(ExitCodes.Database, $"{path}: no results database here (run a sweep first, or pass --db)");
            return false;
        }

        try
        {
            MigrateIfOlder(context, path);
            store = ResultsStore.Open(path, readOnly: true, time: context.Time);
            return true;
        }
        catch (ResultsStoreException e)
        {
            context.Fail(ExitCodes.Database, e.Message);
            return false;
        }
    }

    /// <summary>
    /// Brings a database written by an older vaesweep forward before reading it, as `run` would: after an upgrade,
    /// results must stay readable without running a sweep first. Migrations only add; no stored value changes.
    /// </summary>
    private static void MigrateIfOlder(CliContext context, string path)
    {
        var stored = ResultsStore.StoredSchemaVersion(path);
        if (stored == 0 || stored >= ResultsStore.SchemaVersion) return;
        try
        {
            using (ResultsStore.Open(path, time: context.Time)) { }
        }
        catch (SqliteException e)
        {
            throw new ResultsStoreException(
                $"{Path.GetFullPath(path)}: results database has schema version {stored}, older than this vaesweep's " +
                $"{ResultsStore.SchemaVersion}, and could not be migrated: {e.Message}", e);
        }

        context.Err.WriteLine($"vaesweep: {path}: migrated the results database from schema version {stored} to {ResultsStore.SchemaVersion}");
    }

    /// <summary>The named sweep, or the newest one when no name is given.</summary>
    public static bool TryResolveSweep(CliContext context, ResultsStore store, string? name, [NotNullWhen(true)] out string? sweep)
    {
        sweep = null;
        if (name is not null)
        {
            if (store.GetSweep(name) is null)
            {
                var known = string.Join(", ", store.Sweeps().Select(s => s.Name));
                context.Fail(ExitCodes.NotFound, $"no sweep named '{name}' in {store.Path}" + (known.Length > 0 ? $" (sweeps: {known})" : ""));
                return false;
            }

            sweep = name;
            return true;
        }

        sweep = store.Sweeps().LastOrDefault()?.Name;
        if (sweep is null) context.Fail(ExitCodes.NotFound, $"{store.Path} holds no sweep yet");
        return sweep is not null;
    }
}
