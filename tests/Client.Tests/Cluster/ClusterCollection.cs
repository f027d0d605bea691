namespace VaeSweep.Client.Tests.Cluster;

/// <summary>
/// Cluster tests run one at a time: one of them stops the broker for everyone, and each already keeps both
/// cores busy with a client and two silos. Across test assemblies they also take <see cref="BrokerLock"/>.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection
{
    public const string Name = "cluster";
}
