using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using StackExchange.Redis;

namespace VaeSweep.Silo;

/// <summary>Joins a cluster whose membership is in Redis as an Orleans client.</summary>
public static class RemoteCluster
{
    /// <summary>How long a client tries to reach a gateway before it calls the cluster empty.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(8);

    /// <exception cref="ClusterException">Redis is unreachable, or no silo of the cluster answers.</exception>
    public static async Task<ClusterTrialRunner> ConnectAsync(ClusterAddress address, ClusterRunnerOptions options, TimeProvider time,
        ILoggerFactory logging, CancellationToken cancellationToken)
    {
        var host = await StartClientAsync(address, time, logging, cancellationToken);
        return new ClusterTrialRunner(host.Services.GetRequiredService<IClusterClient>(), new HostOwner(host), options, time,
            logging.CreateLogger("vaesweep.cluster"));
    }

    /// <summary>A started client host; the caller owns it.</summary>
    public static async Task<IHost> StartClientAsync(ClusterAddress address, TimeProvider time, ILoggerFactory logging, CancellationToken cancellationToken)
    {
        await RedisProbe.PingAsync(address, TimeSpan.FromSeconds(3), cancellationToken);
        var started = time.GetTimestamp();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton(logging);
        builder.UseOrleansClient(client =>
        {
            client.UseRedisClustering(o => o.ConfigurationOptions = RedisOptions(address));
            client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (address.ClusterId, address.ClusterId));
            OrleansSetup.ConfigureClient(client);
            client.UseConnectionRetryFilter(async (_, ct) =>
            {
                if (time.GetElapsedTime(started) > ConnectTimeout) return false;
                await Task.Delay(TimeSpan.FromMilliseconds(500), time, ct);
                return true;
            });
        });
        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken);
            return host;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            host.Dispose();
            throw new ClusterException(ClusterProblem.NoSilos,
                $"{address}: no silo of the cluster answered within {ConnectTimeout.TotalSeconds:0} s; start one with `vaesweep silo --cluster {address}`", e);
        }
    }

    /// <summary>Keep retrying while Redis restarts, rather than failing the process.</summary>
    internal static ConfigurationOptions RedisOptions(ClusterAddress address)
    {
        var redis = ConfigurationOptions.Parse(address.RedisConfiguration);
        redis.AbortOnConnectFail = false;
        redis.ConnectTimeout = 3000;
        return redis;
    }
}
