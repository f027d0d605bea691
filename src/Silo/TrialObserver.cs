using System.Threading.Channels;
using VaeSweep.Contracts;

namespace VaeSweep.Silo;

/// <summary>
/// The client's observer: each event goes to the scheduler, and the grain's call returns only once the
/// scheduler has stored it and acknowledged. A grain whose call failed or timed out sends it again.
/// </summary>
/// <param name="stopping">
/// Cancelled when the client stops: calls still waiting for an acknowledgement then fail at once, so their grains
/// keep the events for the next client rather than hold the silo's shutdown until the call's response timeout.
/// </param>
internal sealed class TrialObserver(ChannelWriter<ReceivedEvent> events, Action<TrialEvent> seen, CancellationToken stopping) : ITrialObserver
{
    public async Task OnEventAsync(TrialEvent trialEvent)
    {
        seen(trialEvent);
        var stored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await events.WriteAsync(new ReceivedEvent(trialEvent, () =>
        {
            stored.TrySetResult();
            return ValueTask.CompletedTask;
        }), stopping);
        await stored.Task.WaitAsync(stopping);
    }
}
