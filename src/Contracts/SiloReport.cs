namespace VaeSweep.Contracts;

/// <summary>A silo as it describes itself: who it is, its capacity, and what it holds.</summary>
/// <param name="Running">Attempts training now; never more than <paramref name="Slots"/>.</param>
/// <param name="Resident">Attempts whose grain is still active here: training, or holding events not yet delivered.</param>
/// <param name="Engine">The engine descriptor of this silo's native kernels (numerics version and SIMD width).</param>
[GenerateSerializer, Immutable]
public sealed record SiloReport(
    [property: Id(0)] string Name,
    [property: Id(1)] string Host,
    [property: Id(2)] int Slots,
    [property: Id(3)] IReadOnlyList<RunningTrial> Running,
    [property: Id(4)] IReadOnlyList<RunningTrial> Resident,
    [property: Id(5)] string Engine,
    [property: Id(6)] DateTimeOffset At);

/// <summary>One trial attempt a silo holds.</summary>
[GenerateSerializer, Immutable]
public sealed record RunningTrial(
    [property: Id(0)] string Sweep,
    [property: Id(1)] string TrialId,
    [property: Id(2)] int Attempt);
