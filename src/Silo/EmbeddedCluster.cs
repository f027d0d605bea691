using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VaeSweep.Grains;

namespace VaeSweep.Silo;

/// <summary>
/// A one-silo Orleans cluster inside the client process (localhost clustering on ports nothing else
/// uses), with the client co-hosted: the default when no cluster is named. Its trials stop with the process.
/// </summary>
public static class EmbeddedCluster
{
    public static async Task<ClusterTrialRunner> StartAsync(EmbeddedClusterOptions options, TimeProvider time, ILoggerFactory logging,
        CancellationToken cancellationToken)
    {
        options.Validate();
        // Another process may take a port between choosing and binding it: try a few times.
        for (var attempt = 1; ; attempt++)
        {
            var host = Build(options, time, logging);
            try
            {
                await host.StartAsync(cancellationToken);
                return new ClusterTrialRunner(host.Services.GetRequiredService<IGrainFactory>(), new HostOwner(host), options.Runner, time,
                    logging.CreateLogger("vaesweep.cluster"));
            }
            catch (Exception) when (attempt < 3 && !cancellationToken.IsCancellationRequested)
            {
                host.Dispose();
            }
        }
    }

    private static IHost Build(EmbeddedClusterOptions options, TimeProvider time, ILoggerFactory logging)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton(logging);
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(FreePorts.Next(), FreePorts.Next(), serviceId: "vaesweep", clusterId: $"vaesweep-embedded-{Environment.ProcessId}");
            OrleansSetup.ConfigureSilo(silo, new SiloIdentity(options.Name, Environment.MachineName, options.Slots), time);
        });
        return builder.Build();
    }
}
