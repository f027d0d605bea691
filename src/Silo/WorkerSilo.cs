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
/// membership table no longer lists (Redis restarted empty) ends so that it can be started again.
/// </summary>
public static class WorkerSilo
{
    /// <returns>
    /// <see cref="SiloEnd.Stopped"/> when <paramref name="cancellationToken"/> stopped it; <see cref="SiloEnd.Unlisted"/> when the
    /// membership table lost it (Redis restarted without its data). Orleans would keep such a silo running, unlisted and
    /// unreachable, and stopping its host would spend a minute retrying updates to the lost table; so the host is left as
    /// it is and the process should exit, to be started again (by a service manager) and join afresh.
    /// </returns>
    /// <exception cref="ClusterException">Redis is unreachable.</exception>
    public static async Task<SiloEnd> RunAsync(WorkerSiloOptions options, TimeProvider time, ILoggerFactory logging, CancellationToken cancellationToken)
    {
        options.Validate();
        await RedisProbe.PingAsync(options.Cluster, TimeSpan.FromSeconds(3), cancellationToken);
        var log = logging.CreateLogger("vaesweep.silo");
        var host = Build(options, time, logging);
        await host.StartAsync(cancellationToken);
        log.LogInformation("silo {Name} joined {Cluster} with {Slots} slots (silo port {SiloPort}, gateway port {GatewayPort}{Dashboard})",
            options.Name, options.Cluster, options.Slots, options.SiloPort, options.GatewayPort,
            options.DashboardPort is { } p ? $", dashboard http://{options.DashboardAddress}:{p}/" : "");
        if (await MembershipWatch.UntilUnlistedAsync(host.Services, options.Membership, time, log, cancellationToken))
            return SiloEnd.Unlisted;

        using (host)
        {
            log.LogInformation("silo {Name}: stopping; its trials go back to the client", options.Name);
            await host.StopAsync(TimeSpan.FromSeconds(30));
            log.LogInformation("silo {Name}: stopped", options.Name);
            return SiloEnd.Stopped;
        }
    }

    private static IHost Build(WorkerSiloOptions options, TimeProvider time, ILoggerFactory logging)
    {
        if (options.DashboardPort is { } port)
        {
            var web = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "vaesweep-silo" });
            web.Logging.ClearProviders();
            web.Services.AddSingleton(logging);
            web.Services.Configure<HostOptions>(ExitPromptly);
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
        builder.Services.Configure<HostOptions>(ExitPromptly);
        builder.UseOrleans(silo => Configure(silo, options, time));
        return builder.Build();
    }

    /// <summary>A host left running (unlisted) must not hold the process's exit for the default 30 s.</summary>
    private static void ExitPromptly(HostOptions o) => o.ShutdownTimeout = TimeSpan.FromSeconds(3);

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
