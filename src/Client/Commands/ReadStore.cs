using System.Diagnostics.CodeAnalysis;
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
            store = ResultsStore.Open(path, readOnly: true, time: context.Time);
            return true;
        }
        catch (ResultsStoreException e)
        {
            context.Fail(ExitCodes.Database, e.Message);
            return false;
        }
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
