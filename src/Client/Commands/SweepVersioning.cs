using VaeSweep.Client.Spec;
using VaeSweep.Client.Store;

namespace VaeSweep.Client.Commands;

/// <summary>
/// run's preparation before the scheduler starts: makes the spec the sweep's current version (a new one only when
/// it means something else, see <see cref="SweepIdentity"/>), so the store's members are exactly the spec's trials,
/// and gives ended trials new attempts when asked.
/// </summary>
internal static class SweepVersioning
{
    /// <summary>Applies the spec to the store; prints the one-line summary when it is a new version of an existing sweep.</summary>
    /// <exception cref="ResultsStoreException">A stored trial contradicts the spec's (a hashing bug or a corrupt database).</exception>
    public static void Apply(CliContext context, ResultsStore store, SweepSpec spec)
    {
        var identity = SweepIdentity.Of(spec);
        var settings = SweepIdentity.Settings(spec.Schedule);
        var trials = spec.Expand().Select((t, i) => NewTrial.From(t.Id, i, t.Config, t.CanonicalJson)).ToList();
        var latest = store.LatestVersion(spec.Name);
        var before = latest is null ? null : Meaning(latest);
        if (latest is not null && before?.Identity == identity)
        {
            // The same version: nothing to record. Linking is idempotent and only matters for a sweep an older
            // vaesweep created but crashed before listing its trials.
            store.AddTrials(spec.Name, trials);
            return;
        }

        var applied = store.ApplyVersion(spec.Name, spec.Text, identity, settings, trials);
        if (latest is not null)
            context.Out.WriteLine(Summary(spec.Name, applied, scheduleChanged: before?.Settings != settings));
    }

    /// <summary>"tiny: version 3: +2 trials, −1 trial", with the schedule named when it changed.</summary>
    public static string Summary(string sweep, SweepVersion version, bool scheduleChanged) =>
        $"{sweep}: version {version.Version}: +{Trials(version.Added.Count)}, \u2212{Trials(version.Removed.Count)}" +
        (scheduleChanged ? "; schedule changed (decisions already made stand)" : "");

    /// <summary>Makes failed (and diverged) member trials pending again and says so.</summary>
    public static void Retry(CliContext context, ResultsStore store, string sweep, bool failed, bool diverged)
    {
        if (!failed && !diverged) return;
        var retried = store.RetryTrials(sweep, failed, diverged);
        var parts = new List<string>();
        if (failed) parts.Add($"{Trials(retried.Failed)} failed");
        if (diverged) parts.Add($"{Trials(retried.Diverged)} diverged");
        context.Out.WriteLine($"{sweep}: retrying {string.Join(" and ", parts)}" +
            (diverged && retried.Diverged > 0
                ? "; divergence is deterministic: the same config and seed on the same engine diverges again at the same epoch"
                : ""));
    }

    /// <summary>
    /// The identity and settings of a stored version; a version from before versions had them (the migration's version 1)
    /// has its text parsed again, without checking that its dataset directory still exists. Null when that text no longer parses.
    /// </summary>
    private static (string Identity, string Settings)? Meaning(SweepVersion version)
    {
        if (version.Identity is not null && version.Settings is not null) return (version.Identity, version.Settings);
        var parsed = SpecParser.Parse(version.SpecText, $"version {version.Version}", new SpecParserOptions { DirectoryExists = _ => true });
        return parsed.Success ? (SweepIdentity.Of(parsed.Spec!), SweepIdentity.Settings(parsed.Spec!.Schedule)) : null;
    }

    private static string Trials(int n) => n == 1 ? "1 trial" : $"{n} trials";
}
