namespace VaeSweep.Silo;

/// <summary>Settings of the silo hosted inside the client process.</summary>
public sealed record EmbeddedClusterOptions
{
    /// <summary>
    /// Trials run at once. Default: one per core, each trial single-threaded, since two one-core trials
    /// outrun one two-core trial over a sweep (no synchronisation inside a GEMM).
    /// </summary>
    public int Slots { get; init; } = Environment.ProcessorCount;

    /// <summary>Name reported as the host of every trial.</summary>
    public string Name { get; init; } = $"{Environment.MachineName}/embedded";

    public ClusterRunnerOptions Runner { get; init; } = new();

    public void Validate()
    {
        if (Slots < 1) throw new ArgumentOutOfRangeException(nameof(Slots), Slots, "slots: must be at least 1");
        if (string.IsNullOrWhiteSpace(Name)) throw new ArgumentException("name: must not be empty", nameof(Name));
        Runner.Validate();
    }
}
