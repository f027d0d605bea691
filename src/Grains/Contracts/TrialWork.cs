using VaeSweep.Model;

namespace VaeSweep.Grains.Contracts;

/// <summary>One unit of work: train (or continue) one trial.</summary>
/// <param name="Attempt">Which attempt this is (1-based); events carry it back so stale ones can be ignored.</param>
/// <param name="Checkpoint">State to resume from (an earlier attempt's last epoch), or null to start fresh.</param>
public sealed record TrialWork(
    string Sweep,
    string TrialId,
    int Attempt,
    TrialConfig Config,
    DatasetRef Dataset,
    byte[]? Checkpoint);
