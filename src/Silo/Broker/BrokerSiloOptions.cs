namespace VaeSweep.Silo.Broker;

/// <summary>Settings of a silo serving the broker's work queue (<c>vaesweep silo --broker URI</c>).</summary>
public sealed record BrokerSiloOptions
{
    public required BrokerOptions Broker { get; init; }

    /// <summary>
    /// Trials run at once, each on its own thread. Default: one per core (each trial single-threaded:
    /// two one-core trials outrun one two-core trial over a sweep).
    /// </summary>
    public int Slots { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// Name in heartbeats and in TrialStarted.Host; unique among running silos. Default "{machine}-{pid}",
    /// unique by construction.
    /// </summary>
    public string Name { get; init; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>On a clean stop, how long to wait for cancelled trials to report their release. Default 15 s.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Times a work message may be handed out without its trial starting (a silo dying while loading it)
    /// before it is failed instead of handed out again. Default 5.
    /// </summary>
    public int MaxDeliveries { get; init; } = 5;

    public void Validate()
    {
        Broker.Validate();
        if (Slots < 1) throw new ArgumentOutOfRangeException(nameof(Slots), Slots, "slots: must be at least 1");
        if (string.IsNullOrWhiteSpace(Name)) throw new ArgumentException("name: must not be empty", nameof(Name));
        if (Name.Length > 100) throw new ArgumentException($"name: at most 100 characters, got {Name.Length}", nameof(Name));
        if (ShutdownTimeout < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(ShutdownTimeout), ShutdownTimeout, "shutdown timeout: must not be negative");
        if (MaxDeliveries < 1) throw new ArgumentOutOfRangeException(nameof(MaxDeliveries), MaxDeliveries, "max deliveries: must be at least 1");
    }
}
