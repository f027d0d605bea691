using Orleans.Runtime.Placement;
using VaeSweep.Contracts;

namespace VaeSweep.Silo;

/// <summary>Every live silo's own report, as the membership lists them now.</summary>
/// <param name="Hosts">The silos the membership calls active.</param>
/// <param name="Complete">Every active silo answered.</param>
public sealed record SiloReports(IReadOnlySet<SiloAddress> Hosts, IReadOnlyDictionary<SiloAddress, SiloReport> Reports, bool Complete)
{
    /// <summary>A live silo answers in milliseconds; one that does not within this is treated as not answering.</summary>
    public static readonly TimeSpan ReportTimeout = TimeSpan.FromSeconds(2);

    public static async Task<SiloReports> ReadAsync(IGrainFactory grains, CancellationToken cancellationToken)
    {
        var hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(cancellationToken);
        // Asked side by side, each briefly: a silo killed a moment ago must not hold up the look at the others.
        var asked = hosts.Keys.Select(async address =>
        {
            try
            {
                var report = await SiloReports.WithHint(address, () => grains.GetGrain<ISiloGrain>(address.ToString()).ReportAsync())
                    .WaitAsync(ReportTimeout, cancellationToken);
                return (address, report);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Dying or just joined; the next look tells.
                return (address, (SiloReport?)null);
            }
        });
        var reports = (await Task.WhenAll(asked)).Where(r => r.Item2 is not null).ToDictionary(r => r.address, r => r.Item2!);
        return new SiloReports(hosts.Keys.ToHashSet(), reports, reports.Count == hosts.Count);
    }

    /// <summary>The silo whose grain holds this attempt, if a live one does.</summary>
    public SiloAddress? Holder(string trialId, int attempt) =>
        Reports.FirstOrDefault(r => r.Value.Resident.Any(t => t.TrialId == trialId && t.Attempt == attempt)).Key;

    /// <summary>Calls with a placement hint, so a grain that has no activation yet is activated on <paramref name="silo"/>.</summary>
    public static async Task<T> WithHint<T>(SiloAddress silo, Func<Task<T>> call)
    {
        RequestContext.Set(IPlacementDirector.PlacementHintKey, silo);
        try
        {
            return await call();
        }
        finally
        {
            RequestContext.Remove(IPlacementDirector.PlacementHintKey);
        }
    }

    public static Task WithHint(SiloAddress silo, Func<Task> call) => WithHint(silo, async () =>
    {
        await call();
        return true;
    });
}
