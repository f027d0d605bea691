using VaeSweep.Contracts;
using VaeSweep.Silo;

namespace VaeSweep.Client.Scheduling;

/// <summary>The scheduler's <see cref="ITrialRunner"/> on an Orleans cluster: the hosting project's runner, as it is.</summary>
public sealed class OrleansTrialRunner(ClusterTrialRunner cluster) : ITrialRunner
{
    public int? Slots => cluster.Slots;

    public IReadOnlyList<SiloReport> Silos => cluster.Silos;

    public ValueTask SubmitAsync(TrialWork work, CancellationToken cancellationToken) => cluster.SubmitAsync(work, cancellationToken);

    public ValueTask WatchAsync(string trialId, int attempt, CancellationToken cancellationToken) => cluster.WatchAsync(trialId, attempt, cancellationToken);

    public ValueTask CancelAsync(string trialId, int attempt, CancellationToken cancellationToken) => cluster.CancelAsync(trialId, attempt, cancellationToken);

    public IAsyncEnumerable<ReceivedEvent> ReadEventsAsync(CancellationToken cancellationToken) => cluster.ReadEventsAsync(cancellationToken);
}
