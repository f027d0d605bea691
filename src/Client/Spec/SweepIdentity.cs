using System.Text;
using System.Text.Json;

namespace VaeSweep.Client.Spec;

/// <summary>
/// What makes two spec texts the same version of a sweep: the set of trials they resolve to and the sweep-level
/// settings (the schedule), not their bytes. Comments, formatting, key order, <c>description</c> and a reordering
/// that lists the same trials change nothing; any changed trial or schedule value makes a new version.
/// </summary>
/// <remarks>
/// The trial set, not the trial order: a stored trial keeps its place (ordinal) in the sweep whatever order a later
/// text lists it in, so order cannot tell two versions apart. Trial ids already cover dataset, strategy, seed and
/// every resolved parameter.
/// </remarks>
public static class SweepIdentity
{
    /// <summary>The identity of a parsed spec: SHA-256 (lower-case hex) over its settings and its sorted trial ids.</summary>
    public static string Of(SweepSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Of(Settings(spec.Schedule), spec.Expand().Select(t => t.Id));
    }

    /// <summary>The identity of a version from its settings (see <see cref="Settings"/>) and its trial ids, in any order.</summary>
    public static string Of(string settings, IEnumerable<string> trialIds)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var text = new StringBuilder(settings).Append('\n');
        foreach (var id in trialIds.Order(StringComparer.Ordinal)) text.Append(id).Append('\n');
        return TrialIdentity.Sha256Hex(text.ToString());
    }

    /// <summary>
    /// The sweep-level settings as canonical JSON (fixed key order, no whitespace). A schedule of kind none is just
    /// its kind: the other keys decide nothing then.
    /// </summary>
    public static string Settings(ScheduleSpec schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("schedule");
            json.WriteString("kind", schedule.KindName);
            if (schedule.Kind != ScheduleKind.None)
            {
                json.WriteString("metric", schedule.Metric);
                json.WriteNumber("grace", schedule.Grace);
                if (schedule.Kind == ScheduleKind.Asha) json.WriteNumber("reduction", schedule.Reduction);
                json.WriteNumber("min_trials", schedule.MinTrials);
                json.WriteBoolean("evaluate_pruned", schedule.EvaluatePruned);
            }
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
