namespace VaeSweep.Contracts;

/// <summary>
/// The client's end of a trial's events. A call returns once the client has stored the event, so a
/// grain keeps every event until that return and sends it again to the next observer otherwise.
/// </summary>
public interface ITrialObserver : IGrainObserver
{
    [ResponseTimeout("00:00:20")]
    Task OnEventAsync(TrialEvent trialEvent);
}
