using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace VaeSweep.Silo;

/// <summary>How a worker silo checks that the cluster's membership table still lists it.</summary>
public sealed record MembershipWatchOptions
{
    /// <summary>Between two reads of the membership table. Default 2 s.</summary>
    public TimeSpan Period { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Reads in a row that must answer without this silo (as active) before it re-joins. Default 3.</summary>
    public int UnlistedReads { get; init; } = 3;

    public void Validate()
    {
        if (Period <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(Period), Period, "membership watch period: must be positive");
        if (UnlistedReads < 1) throw new ArgumentOutOfRangeException(nameof(UnlistedReads), UnlistedReads, "membership watch reads: must be at least 1");
    }
}

/// <summary>
/// Watches a running silo's own entry in the membership table. Orleans keeps a silo running when the table loses its
/// entry (Redis restarted without its data): it then serves on, but no client or silo finds it, and it never writes
/// itself back. The worker re-joins instead. A read that fails (Redis away) says nothing either way: Redis restarting
/// with its data is not a reason to leave.
/// </summary>
internal static class MembershipWatch
{
    /// <summary>True once the table has answered <see cref="MembershipWatchOptions.UnlistedReads"/> times in a row without this silo; false when cancelled.</summary>
    public static async Task<bool> UntilUnlistedAsync(IServiceProvider services, MembershipWatchOptions options, TimeProvider time, ILogger log,
        CancellationToken cancellationToken)
    {
        var table = services.GetRequiredService<IMembershipTable>();
        var self = services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
        var unlisted = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.Period, time, cancellationToken);
                var data = await table.ReadAllAsync(cancellationToken).WaitAsync(options.Period * 2, cancellationToken);
                var listed = data.Members.Any(m => m.Item1.SiloAddress.Equals(self) && m.Item1.Status is SiloStatus.Active or SiloStatus.Joining);
                unlisted = listed ? 0 : unlisted + 1;
                if (unlisted >= options.UnlistedReads) return true;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return false;
            }
            catch (Exception e)
            {
                log.LogDebug("membership check: {Error}", e.Message);
            }
        }

        return false;
    }
}
