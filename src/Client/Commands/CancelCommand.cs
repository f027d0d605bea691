using System.CommandLine;
using VaeSweep.Client.Store;

namespace VaeSweep.Client.Commands;

/// <summary>
/// <c>cancel --sweep NAME</c>: marks the sweep's unfinished trials cancelled. The running client sees it
/// within a second and stops those trials wherever they run; finished results stay.
/// </summary>
internal static class CancelCommand
{
    public static Command Create(CliContext context)
    {
        var db = CommonOptions.Database();
        var sweep = new Option<string>("--sweep") { Description = "Sweep to cancel", Required = true };
        var command = new Command("cancel", "Cancel a sweep's unfinished trials everywhere") { db, sweep };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(db)!;
            if (!File.Exists(path)) return context.Fail(ExitCodes.Database, $"{path}: no results database here (pass --db)");
            using var store = ResultsStore.Open(path, time: context.Time);
            var name = parse.GetValue(sweep)!;
            if (!ReadStore.TryResolveSweep(context, store, name, out _)) return ExitCodes.NotFound;
            var cancelled = store.CancelSweep(name);
            context.Out.WriteLine($"sweep {name}: {cancelled} unfinished trial(s) cancelled; running its spec again resumes them");
            return ExitCodes.Ok;
        });
        return command;
    }
}
