namespace VaeSweep.Client.Store;

/// <summary>Why a sweep's lease was not granted: another live client holds the lease of <paramref name="Sweep"/>.</summary>
/// <param name="Sweep">The sweep whose lease is held: the same one, or one that shares trials with it.</param>
/// <param name="SharedTrials">How many of the asked-for trials that sweep shares (all of them when it is the same sweep).</param>
public sealed record LeaseRefusal(string Sweep, LeaseHolder Holder, DateTimeOffset HeartbeatAt, DateTimeOffset ExpiresAt, int SharedTrials);
