using Microsoft.Extensions.Logging;
using VaeSweep.Silo;

namespace VaeSweep.Client.Commands;

/// <summary>Chooses where trials run: a silo inside this process, or the cluster named by --cluster.</summary>
internal static class TrialRunners
{
    /// <exception cref="ClusterException">The cluster's Redis is unreachable or it has no silo.</exception>
    public static async Task<ClusterTrialRunner> OpenAsync(CliContext context, ClusterAddress? cluster, int? slots,
        ILoggerFactory logging, CancellationToken cancellationToken, ClusterRunnerOptions? runnerOptions = null)
    {
        if (cluster is null)
        {
            var options = slots is { } n ? new EmbeddedClusterOptions { Slots = n } : new EmbeddedClusterOptions();
            return await EmbeddedCluster.StartAsync(options, context.Time, logging, cancellationToken);
        }

        return await RemoteCluster.ConnectAsync(cluster, runnerOptions ?? new ClusterRunnerOptions(), context.Time, logging, cancellationToken);
    }
}
