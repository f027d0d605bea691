namespace VaeSweep.Client.Store;

/// <summary>A worker host as last heard from: how many trial slots it has and how many are busy.</summary>
/// <param name="StoppedAt">When the client that recorded it saw it stop (its run's embedded silo); null while it may run.</param>
public sealed record SiloRecord(string Name, string Host, int Slots, int Running, DateTimeOffset LastHeartbeat, DateTimeOffset? StoppedAt = null);
