namespace VaeSweep.Silo.Tests.Broker;

/// <summary>
/// Tests against the real broker run one at a time: the restart test stops the broker for everyone, and
/// two cores are better spent on one flow than on several timing each other out.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrokerCollection
{
    public const string Name = "broker";
}
