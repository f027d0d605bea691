using VaeSweep.Client.Spec;

namespace VaeSweep.Client.Scheduling.Stopping;

internal static class StoppingRules
{
    /// <summary>The rule a schedule names; null for <see cref="ScheduleKind.None"/>.</summary>
    public static IStoppingRule? For(ScheduleSpec schedule) => schedule.Kind switch
    {
        ScheduleKind.None => null,
        ScheduleKind.Asha => new AshaRule(schedule.Grace, schedule.Reduction),
        ScheduleKind.Median => new MedianRule(schedule.Grace),
        _ => throw new ArgumentOutOfRangeException(nameof(schedule), schedule.Kind, "unknown schedule kind"),
    };
}
