using System.CommandLine;
using System.Globalization;
using DiffPlex.Renderer;
using VaeSweep.Client.Store;
using VaeSweep.Client.Spec;

namespace VaeSweep.Client.Commands;

/// <summary>
/// <c>history SWEEP</c>: the sweep's spec versions, oldest first, each with the trials it added and removed and a
/// unified diff from the version before.
/// </summary>
internal static class HistoryCommand
{
    // Lines of unchanged spec text shown around each change, as diff -u does.
    private const int ContextLines = 3;

    public static Command Create(CliContext context)
    {
        var sweep = new Argument<string>("SWEEP") { Description = "Sweep name" };
        var db = CommonOptions.Database(context);
        var command = new Command("history", "List a sweep's spec versions with the trials each added or removed and a diff between consecutive ones")
        {
            sweep, db,
        };
        command.SetAction(parse =>
        {
            if (!ReadStore.TryOpen(context, parse.GetValue(db)!, out var store)) return ExitCodes.Database;
            using (store)
            {
                var name = parse.GetValue(sweep)!;
                if (!ReadStore.TryResolveSweep(context, store, name, out _)) return ExitCodes.NotFound;
                Write(context.Out, store, name);
                return ExitCodes.Ok;
            }
        });
        return command;
    }

    private static void Write(TextWriter o, ResultsStore store, string sweep)
    {
        var versions = store.VersionsOf(sweep);
        var trials = store.FindTrials(versions.SelectMany(v => v.Added.Concat(v.Removed)).Distinct().ToList());
        o.WriteLine($"{sweep}: {versions.Count} version{(versions.Count == 1 ? "" : "s")}");
        SweepVersion? previous = null;
        foreach (var v in versions)
        {
            o.WriteLine();
            o.WriteLine($"version {v.Version}  {v.CreatedAt.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)}  " +
                        $"+{v.Added.Count} \u2212{v.Removed.Count}  spec sha256 {v.SpecSha256[..12]}");
            foreach (var id in v.Added) o.WriteLine($"  + {Describe(id, trials)}");
            foreach (var id in v.Removed) o.WriteLine($"  \u2212 {Describe(id, trials)}");
            if (previous is not null) WriteDiff(o, previous, v);
            previous = v;
        }
    }

    private static void WriteDiff(TextWriter o, SweepVersion before, SweepVersion after)
    {
        if (before.SpecText == after.SpecText)
        {
            o.WriteLine("  (spec text unchanged)");
            return;
        }
        var diff = new UnidiffRenderer(contextLines: ContextLines).Generate(
            WithoutFinalNewline(before.SpecText), WithoutFinalNewline(after.SpecText), $"version {before.Version}", $"version {after.Version}");
        o.WriteLine(WithoutFinalNewline(diff));
    }

    // The renderer splits on newlines, so a final one would show as an empty last line; whether the file ends with one
    // changes no trial either.
    private static string WithoutFinalNewline(string text) => text.EndsWith('\n') ? text[..^1] : text;

    private static string Describe(string id, IReadOnlyDictionary<string, TrialRecord> trials)
    {
        if (!trials.TryGetValue(id, out var t)) return $"{TrialIdentity.Short(id)} (no longer stored)";
        var c = CultureInfo.InvariantCulture;
        return $"{TrialIdentity.Short(id)} {t.Status.ToDb(),-9} latent {t.Latent}, sigma {t.Sigma.ToString("g4", c)}, " +
               $"beta {t.Beta.ToString("g4", c)}, lr {t.LearningRate.ToString("g4", c)}, hidden [{t.Hidden}], epochs {t.Epochs}";
    }
}
