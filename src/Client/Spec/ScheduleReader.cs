using VaeSweep.Client.Spec.Yaml;

namespace VaeSweep.Client.Spec;

/// <summary>Reads the <c>schedule:</c> section into a <see cref="ScheduleSpec"/>, reporting problems where they are.</summary>
internal static class ScheduleReader
{
    private const string Path = "schedule";

    private static readonly string[] Keys = ["kind", "metric", "grace", "reduction", "min_trials", "evaluate_pruned"];

    /// <param name="key">The 'schedule' key, where problems of the section as a whole are reported.</param>
    /// <param name="fewestEpochs">The fewest epochs any trial of the sweep trains; grace must be below it.</param>
    /// <returns>The schedule, or null when it has problems (reported).</returns>
    public static ScheduleSpec? Read(YNode node, YNode key, int? fewestEpochs, SpecErrorSink errors)
    {
        var fields = MappingFields.Read(node, Path, Keys, errors);
        if (fields is null) return null;
        if (fields["kind"] is not { } kindNode)
        {
            errors.Add(key, Path, $"needs 'kind: {string.Join(" | ", ScheduleSpec.KindNames)}'");
            return null;
        }
        if (!ScalarReader.TryName(kindNode, "schedule.kind", ScheduleSpec.KindNames, errors, out var kindName)) return null;
        var kind = (ScheduleKind)ScheduleSpec.KindNames.ToList().IndexOf(kindName);

        var ok = true;
        foreach (var entry in fields.Entries)
        {
            var name = entry.Key.Value;
            if (name == "kind") continue;
            if (kind == ScheduleKind.None || (name == "reduction" && kind != ScheduleKind.Asha))
            {
                errors.Add(entry.Key, $"{Path}.{name}", $"not used by kind {kindName}{(name == "reduction" && kind != ScheduleKind.None ? " (only by asha)" : "")}");
                ok = false;
            }
        }

        var schedule = new ScheduleSpec(kind);
        if (fields["metric"] is { } m)
        {
            if (ScalarReader.TryName(m, "schedule.metric", ScheduleSpec.MetricNames, errors, out var metric)) schedule = schedule with { Metric = metric };
            else ok = false;
        }
        ok &= ReadInt(fields, "grace", errors, g => schedule = schedule with { Grace = g });
        ok &= ReadInt(fields, "reduction", errors, r => schedule = schedule with { Reduction = r });
        ok &= ReadInt(fields, "min_trials", errors, n => schedule = schedule with { MinTrials = n });
        if (fields["evaluate_pruned"] is { } e)
        {
            if (e is YScalar { IsPlain: true, Value: "true" or "false" } b) schedule = schedule with { EvaluatePruned = b.Value == "true" };
            else
            {
                errors.Add(e, "schedule.evaluate_pruned", $"must be true or false, got {e.Describe()}");
                ok = false;
            }
        }
        // Values that did read are checked too, so one pass reports every problem of the section.
        var problems = schedule.Validate();
        foreach (var problem in problems)
        {
            var field = problem[..problem.IndexOf(':')];
            errors.Add(fields[field] ?? key, $"{Path}.{field}", problem[(field.Length + 2)..]);
        }
        if (!ok || problems.Count > 0) return null;
        if (kind != ScheduleKind.None && fewestEpochs is { } epochs && schedule.Grace >= epochs)
        {
            errors.Add(fields["grace"] ?? kindNode, "schedule.grace",
                $"must be less than train.epochs ({epochs}{(fields["grace"] is null ? $"; grace is {schedule.Grace} by default" : "")}): " +
                "a trial is only stopped after its grace epochs and before its last");
            return null;
        }
        return schedule;
    }

    private static bool ReadInt(MappingFields fields, string name, SpecErrorSink errors, Action<int> set)
    {
        if (fields[name] is not { } node) return true;
        if (!ScalarReader.TryInt(node, $"{Path}.{name}", errors, out var value)) return false;
        set(value);
        return true;
    }
}
