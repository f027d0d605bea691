using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VaeSweep.Contracts;

namespace VaeSweep.Silo;

/// <summary>One-shot looks at and orders to a running cluster, for commands that are not a sweep's client.</summary>
public static class ClusterControl
{
    /// <summary>Every live silo's report, by name.</summary>
    /// <exception cref="ClusterException">Redis is unreachable, or no silo answers.</exception>
    public static async Task<IReadOnlyList<SiloReport>> SilosAsync(ClusterAddress address, TimeProvider time, ILoggerFactory logging,
        CancellationToken cancellationToken)
    {
        using var host = await RemoteCluster.StartClientAsync(address, time, logging, cancellationToken);
        var look = await SiloReports.ReadAsync(host.Services.GetRequiredService<IClusterClient>(), cancellationToken);
        await host.StopAsync(cancellationToken);
        return [.. look.Reports.Values.OrderBy(r => r.Name, StringComparer.Ordinal)];
    }

    /// <summary>Stops every attempt of <paramref name="sweep"/> that a live silo holds; returns how many.</summary>
    public static async Task<int> CancelSweepAsync(ClusterAddress address, string sweep, TimeProvider time, ILoggerFactory logging,
        CancellationToken cancellationToken)
    {
        using var host = await RemoteCluster.StartClientAsync(address, time, logging, cancellationToken);
        var grains = host.Services.GetRequiredService<IClusterClient>();
        var look = await SiloReports.ReadAsync(grains, cancellationToken);
        var stopped = 0;
        foreach (var (silo, report) in look.Reports)
            foreach (var trial in report.Running.Where(t => t.Sweep == sweep))
            {
                await SiloReports.WithHint(silo, () => grains.GetGrain<ITrialGrain>(trial.TrialId).CancelAsync(trial.Attempt)).WaitAsync(cancellationToken);
                stopped++;
            }

        await host.StopAsync(cancellationToken);
        return stopped;
    }
}
