namespace VaeSweep.Client.Tests.Cluster;

/// <summary>
/// Cluster tests run one at a time: each has its own Redis and cluster name, so they could share a machine,
/// but each already keeps both cores busy with a client and two silos.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection
{
    public const string Name = "cluster";
}
