using VaeSweep.Model;

namespace VaeSweep.Contracts;

/// <summary>One unit of work: train (or continue) one trial.</summary>
/// <param name="Attempt">Which attempt this is (1-based); events carry it back so stale ones can be ignored.</param>
/// <param name="Config">Serialised as JSON by the hosts (the engine's types carry no transport attributes).</param>
/// <param name="Checkpoint">State to resume from (an earlier attempt's last epoch), or null to start fresh.</param>
/// <param name="PauseAfter">
/// Stop after this many epochs (an early-stopping rung), report <see cref="TrialPaused"/> and wait for the client's
/// decision; null or not before the last epoch: train to the end.
/// </param>
/// <param name="FinishAt">
/// Treat this epoch as the last: estimate the held-out likelihood there and finish (a pruned trial evaluated at
/// its rung); null: the config's epochs.
/// </param>
[GenerateSerializer, Immutable]
public sealed record TrialWork(
    [property: Id(0)] string Sweep,
    [property: Id(1)] string TrialId,
    [property: Id(2)] int Attempt,
    [property: Id(3)] TrialConfig Config,
    [property: Id(4)] DatasetRef Dataset,
    [property: Id(5)] byte[]? Checkpoint,
    [property: Id(6)] int? PauseAfter = null,
    [property: Id(7)] int? FinishAt = null)
{
    /// <summary>The epoch training stops at: the pause, the finish or the config's last, whichever comes first.</summary>
    public int StopEpoch => Math.Min(Math.Min(PauseAfter ?? int.MaxValue, FinishAt ?? int.MaxValue), Config.Epochs);

    /// <summary>Whether reaching <see cref="StopEpoch"/> means pausing rather than evaluating.</summary>
    public bool PausesAtStop => PauseAfter is { } p && p < Math.Min(FinishAt ?? int.MaxValue, Config.Epochs);
}
