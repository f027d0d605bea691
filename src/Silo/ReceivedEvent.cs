using VaeSweep.Contracts;

namespace VaeSweep.Silo;

/// <summary>An event as the client receives it, with the acknowledgement to call once it is stored.</summary>
public sealed class ReceivedEvent(TrialEvent trialEvent, Func<ValueTask> acknowledge)
{
    public TrialEvent Event { get; } = trialEvent;

    public ValueTask AcknowledgeAsync() => acknowledge();
}
