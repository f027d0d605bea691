namespace VaeSweep.Client.Store;

/// <summary>A worker host as last heard from: how many trial slots it has and how many are busy.</summary>
public sealed record SiloRecord(string Name, string Host, int Slots, int Running, DateTimeOffset LastHeartbeat);
