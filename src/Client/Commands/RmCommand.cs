using System.CommandLine;
using VaeSweep.Client.Store;

namespace VaeSweep.Client.Commands;

/// <summary>
/// <c>rm SWEEP</c>: removes a sweep, its versions and (unless <c>--keep-trials</c>) the trials no other sweep lists,
/// in one transaction, after asking. Trials another sweep lists (now or in an earlier version) always stay.
/// It takes the sweep's lease first, as <c>run</c> does, so a sweep another live client is running is refused (busy)
/// rather than pulled from under it; a dead holder's lease is taken over by the same rules.
/// </summary>
internal static class RmCommand
{
    public static Command Create(CliContext context)
    {
        var sweep = new Argument<string>("SWEEP") { Description = "Sweep to remove" };
        var db = CommonOptions.Database(context);
        var yes = new Option<bool>("--yes", "-y") { Description = "Remove without asking" };
        var keepTrials = new Option<bool>("--keep-trials")
        {
            Description = "Keep the sweep's trials and their results (a later sweep listing them reuses them)",
        };
        var command = new Command("rm", "Remove a sweep and the trials only it lists, after a confirmation") { sweep, db, yes, keepTrials };
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(db)!;
            if (!File.Exists(path)) return context.Fail(ExitCodes.Database, $"{path}: no results database here (pass --db)");
            ResultsStore store;
            try
            {
                store = ResultsStore.Open(path, time: context.Time);
            }
            catch (ResultsStoreException e)
            {
                return context.Fail(ExitCodes.Database, e.Message);
            }

            using (store)
            {
                var name = parse.GetValue(sweep)!;
                if (!ReadStore.TryResolveSweep(context, store, name, out _)) return ExitCodes.NotFound;
                var keep = parse.GetValue(keepTrials);
                // Only this sweep's own lease matters: the trials removed with it are those no other sweep lists. Held
                // (and renewed) while the question waits for an answer, so no run can start on it meanwhile.
                var (lease, refusal) = SweepLease.Take(store, name, [], new SweepLeaseOptions(), context.Time);
                if (lease is null) return context.Fail(ExitCodes.Busy, $"rm: {refusal}; nothing was removed");
                await using var held = lease;
                var preview = store.PreviewRemoval(name);
                if (!parse.GetValue(yes) && !Confirmed(context, Question(name, preview, keep)))
                    return context.Fail(ExitCodes.Declined, $"rm: sweep '{name}' not removed (answer y, or pass --yes)");
                var done = store.RemoveSweep(name, keep);
                context.Out.WriteLine($"removed sweep {name} ({done.Versions} version(s)); " +
                    (keep ? $"kept its {done.Trials} trial(s)" : $"removed {done.Removed} trial(s), kept {done.Trials - done.Removed} another sweep lists"));
                return ExitCodes.Ok;
            }
        });
        return command;
    }

    private static string Question(string name, SweepRemoval preview, bool keepTrials) =>
        $"remove sweep '{name}' ({preview.Versions} version(s), {preview.Trials} trial(s)" +
        (keepTrials
            ? "; the trials are kept)"
            : $"; {preview.OnlyHere} trial(s) no other sweep lists are removed with their results)") +
        "? [y/N] ";

    /// <summary>Asks on standard output and reads the answer; no answer (end of input) is a no.</summary>
    private static bool Confirmed(CliContext context, string question)
    {
        context.Out.Write(question);
        context.Out.Flush();
        var answer = context.In.ReadLine()?.Trim();
        if (answer is null) context.Out.WriteLine();
        return answer is not null && (answer.Equals("y", StringComparison.OrdinalIgnoreCase) || answer.Equals("yes", StringComparison.OrdinalIgnoreCase));
    }
}
