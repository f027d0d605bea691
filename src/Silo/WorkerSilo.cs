using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Dashboard;
using VaeSweep.Grains;

namespace VaeSweep.Silo;

/// <summary>
/// A worker host: an Orleans silo whose membership is in Redis, training trial grains until stopped.
/// Stopping (Ctrl-C, SIGTERM) deactivates its grains, which release their attempts to the client. A silo the
/// membership table no longer lists (Redis restarted empty) stops the same way and joins again.
/// </summary>
public static class WorkerSilo
{
    /// <exception cref="ClusterException">Redis is unreachable.</exception>
    public static async Task RunAsync(WorkerSiloOptions options, TimeProvider time, ILoggerFactory logging, CancellationToken cancellationToken)
    {
        options.Validate();
        await RedisProbe.PingAsync(options.Cluster, TimeSpan.FromSeconds(3), cancellationToken);
        var log = logging.CreateLogger("vaesweep.silo");
        while (true)
        {
            var host = Build(options, time, logging);
            using (host)
            {
                await host.StartAsync(cancellationToken);
                log.LogInformation("silo {Name} joined {Cluster} with {Slots} slots (silo port {SiloPort}, gateway port {GatewayPort}{Dashboard})",
                    options.Name, options.Cluster, options.Slots, options.SiloPort, options.GatewayPort,
                    options.DashboardPort is { } p ? $", dashboard http://{options.DashboardAddress}:{p}/" : "");
                var unlisted = await MembershipWatch.UntilUnlistedAsync(host.Services, options.Membership, time, log, cancellationToken);
                if (unlisted)
                    log.LogWarning("silo {Name}: the cluster's membership in Redis no longer lists this silo (Redis restarted without its data?); " +
                                   "leaving and joining again, its trials go back to the client", options.Name);
                else
                    log.LogInformation("silo {Name}: stopping; its trials go back to the client", options.Name);
                await host.StopAsync(TimeSpan.FromSeconds(30));
                if (!unlisted)
                {
                    log.LogInformation("silo {Name}: stopped", options.Name);
                    return;
                }
            }
        }
    }

    private static IHost Build(WorkerSiloOptions options, TimeProvider time, ILoggerFactory logging)
    {
        if (options.DashboardPort is { } port)
        {
            var web = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "vaesweep-silo" });
            web.Logging.ClearProviders();
            web.Services.AddSingleton(logging);
            web.WebHost.ConfigureKestrel(k => k.Listen(options.DashboardAddress, port));
            web.UseOrleans(silo =>
            {
                Configure(silo, options, time);
                silo.AddDashboard();
            });
            var app = web.Build();
            app.MapOrleansDashboard();
            return app;
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton(logging);
        builder.UseOrleans(silo => Configure(silo, options, time));
        return builder.Build();
    }

    private static void Configure(ISiloBuilder silo, WorkerSiloOptions options, TimeProvider time)
    {
        silo.UseRedisClustering(o => o.ConfigurationOptions = RemoteCluster.RedisOptions(options.Cluster));
        silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (options.Cluster.ClusterId, options.Cluster.ClusterId));
        silo.Configure<SiloOptions>(o => o.SiloName = options.Name);
        // Listen where other silos and clients are told to connect, not on every interface: the ports are unauthenticated.
        var advertised = options.Address ?? LocalAddress.FirstNonLoopback();
        var listen = options.Listen ?? advertised;
        silo.Configure<EndpointOptions>(o =>
        {
            o.AdvertisedIPAddress = advertised;
            o.SiloPort = options.SiloPort;
            o.GatewayPort = options.GatewayPort;
            o.SiloListeningEndpoint = new IPEndPoint(listen, options.SiloPort);
            o.GatewayListeningEndpoint = new IPEndPoint(listen, options.GatewayPort);
        });
        OrleansSetup.ConfigureSilo(silo, new SiloIdentity(options.Name, Environment.MachineName, options.Slots), time);
    }
}
