using System.Threading.Channels;
using VaeSweep.Grains.Contracts;

namespace VaeSweep.Silo;

/// <summary>
/// The client's observer: each event goes to the scheduler, and the grain's call returns only once the
/// scheduler has stored it and acknowledged. A grain whose call failed or timed out sends it again.
/// </summary>
internal sealed class TrialObserver(ChannelWriter<ReceivedEvent> events, Action<TrialEvent> seen) : ITrialObserver
{
    public async Task OnEventAsync(TrialEvent trialEvent)
    {
        seen(trialEvent);
        var stored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await events.WriteAsync(new ReceivedEvent(trialEvent, () =>
        {
            stored.TrySetResult();
            return ValueTask.CompletedTask;
        }));
        await stored.Task;
    }
}
