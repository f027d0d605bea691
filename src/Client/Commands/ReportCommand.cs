using System.CommandLine;
using VaeSweep.Client.Report;
using VaeSweep.Client.Store;

namespace VaeSweep.Client.Commands;

/// <summary>
/// <c>report [SWEEP]</c>: one self-contained HTML page of the sweep (ranking, curves, parameter plots, decoder
/// images), from the database alone. Writes only the page, and only whole: nothing at all on an error.
/// </summary>
internal static class ReportCommand
{
    public static Command Create(CliContext context)
    {
        var sweep = new SweepSelector("Sweep to report", defaultsToNewest: true);
        var db = CommonOptions.Database(context);
        var output = new Option<string?>("--output", "-o") { Description = "HTML file to write (default: SWEEP.html); replaced whole if it exists" };
        var best = new Option<int>("--best") { Description = "Best trials to highlight and show as images (1 to 10)", DefaultValueFactory = _ => 3 };
        var command = new Command("report", "Write one self-contained HTML page of a sweep: ranking, learning curves, parameter plots, decoder images") { db, output, best };
        sweep.AddTo(command);
        command.SetAction(parse =>
        {
            var options = new ReportOptions { BestTrials = parse.GetValue(best) };
            var errors = options.Validate();
            if (errors.Count > 0) return context.Fail(ExitCodes.Usage, $"--best: must be between 1 and 10, got {options.BestTrials}");
            string? named;
            try
            {
                named = sweep.From(parse);
            }
            catch (FormatException e)
            {
                return context.Fail(ExitCodes.Usage, e.Message);
            }

            // The output is checked before the database so a bad -o fails fast; with no name yet, SWEEP.html is checked once known.
            var chosen = parse.GetValue(output);
            if (chosen is not null && OutputProblem(chosen) is { } early) return context.Fail(ExitCodes.Usage, early);

            if (!ReadStore.TryOpen(context, parse.GetValue(db)!, out var store)) return ExitCodes.Database;
            using (store)
            {
                if (!ReadStore.TryResolveSweep(context, store, named, out var resolved)) return ExitCodes.NotFound;
                var target = Path.GetFullPath(chosen ?? $"{resolved}.html");
                if (OutputProblem(target) is { } problem) return context.Fail(ExitCodes.Usage, problem);
                string page;
                try
                {
                    page = HtmlReport.Render(ReportBuilder.Build(store, resolved, options, context.Time));
                }
                catch (ResultsStoreException e)
                {
                    return context.Fail(ExitCodes.Database, e.Message);
                }
                try
                {
                    WriteWhole(target, page);
                }
                catch (Exception e) when (e is UnauthorizedAccessException or IOException)
                {
                    return context.Fail(ExitCodes.Usage, $"--output: cannot write {target}: {e.Message}");
                }

                context.Out.WriteLine($"wrote {target} ({new FileInfo(target).Length / 1024.0:F0} KiB)");
                return ExitCodes.Ok;
            }
        });
        return command;
    }

    private static string? OutputProblem(string given)
    {
        if (string.IsNullOrWhiteSpace(given)) return "--output: must name a file, got an empty value";
        var target = Path.GetFullPath(given);
        var directory = Path.GetDirectoryName(target)!;
        if (!Directory.Exists(directory)) return $"--output: directory {directory} does not exist";
        if (Directory.Exists(target)) return $"--output: {target} is a directory";
        // The page replaces a file by renaming over it, which a read-only file's mode would not stop: honour the mode.
        if (File.Exists(target) && IsReadOnly(target)) return $"--output: {target} is read-only; make it writable or write elsewhere";
        return null;
    }

    private static bool IsReadOnly(string path) =>
        OperatingSystem.IsWindows()
            ? new FileInfo(path).IsReadOnly
            : (File.GetUnixFileMode(path) & (UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) == 0;

    // Written beside the target, then renamed over it: a reader never sees half a page, a failure leaves no file.
    private static void WriteWhole(string target, string page)
    {
        var temporary = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllText(temporary, page, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            File.Move(temporary, target, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }
}
