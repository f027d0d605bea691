using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using VaeSweep.Grains;
using VaeSweep.Contracts;

namespace VaeSweep.Silo;

/// <summary>What every silo and every client of a VaeSweep cluster configure alike.</summary>
internal static class OrleansSetup
{
    /// <summary>Grain locations a silo remembers: far more than the trial grains active at once on any cluster.</summary>
    private const int DirectoryCacheSize = 10_000;

    /// <summary>Grain services and the membership settings a silo of VaeSweep runs with.</summary>
    public static void ConfigureSilo(ISiloBuilder silo, SiloIdentity identity, TimeProvider time)
    {
        identity.Validate();
        silo.Services.AddSingleton(identity);
        silo.Services.AddSingleton<SiloSlots>();
        silo.Services.AddSingleton<DatasetCache>();
        silo.Services.AddSingleton(time);
        silo.Services.AddVaeSweepSerialization();
        silo.Services.AddHintedPlacement();
        silo.Configure<ClusterMembershipOptions>(TuneMembership);
        // A checkpoint of the reference model is 7.8 MB; leave room for much larger models.
        silo.Configure<SiloMessagingOptions>(o => o.MaxMessageBodySize = 1 << 30);
        // The directory cache's default capacity (a million grains) is allocated up front: 9.3 MB of the embedded
        // silo's heap (docs/performance-run.md). A sweep has a few grains active per slot; a miss is one lookup.
        silo.Configure<GrainDirectoryOptions>(o => o.CacheSize = DirectoryCacheSize);
    }

    public static void ConfigureClient(IClientBuilder client)
    {
        client.Services.AddVaeSweepSerialization();
        client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(2));
        client.Configure<ClientMessagingOptions>(o => o.MaxMessageBodySize = 1 << 30);
    }

    /// <summary>
    /// Declare a killed silo dead in seconds, not minutes: a probe a second, three missed in a row. A
    /// silo's trials are given out again only once it is declared dead, so this bounds failover time.
    /// The membership view is re-read every 2 s so a silo that joins mid-sweep is seen at once.
    /// </summary>
    public static void TuneMembership(ClusterMembershipOptions o)
    {
        o.ProbeTimeout = TimeSpan.FromSeconds(1);
        o.MinProbeTimeout = TimeSpan.FromMilliseconds(500);
        o.NumMissedProbesLimit = 3;
        o.TableRefreshTimeout = TimeSpan.FromSeconds(2);
        o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(10);
        o.DeathVoteExpirationTimeout = TimeSpan.FromSeconds(30);
    }
}
