using VaeSweep.Model;

namespace VaeSweep.Grains.Contracts;

/// <summary>One unit of work: train (or continue) one trial.</summary>
/// <param name="Attempt">Which attempt this is (1-based); events carry it back so stale ones can be ignored.</param>
/// <param name="Config">Serialised as JSON by the hosts (the engine's types carry no transport attributes).</param>
/// <param name="Checkpoint">State to resume from (an earlier attempt's last epoch), or null to start fresh.</param>
[GenerateSerializer, Immutable]
public sealed record TrialWork(
    [property: Id(0)] string Sweep,
    [property: Id(1)] string TrialId,
    [property: Id(2)] int Attempt,
    [property: Id(3)] TrialConfig Config,
    [property: Id(4)] DatasetRef Dataset,
    [property: Id(5)] byte[]? Checkpoint);
