using VaeSweep.Client.Store;

namespace VaeSweep.Client.Commands;

/// <summary>How long a sweep's lease lasts without a heartbeat, and how often the holder renews it.</summary>
public sealed record SweepLeaseOptions
{
    /// <summary>
    /// A client that stops renewing (killed on another host, frozen, cut off) loses the sweep after this. Default 30 s.
    /// A successor on the same host takes over at once when the holder's process is gone.
    /// </summary>
    public TimeSpan Ttl { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Between two renewals. Default 5 s: a handful of missed beats fit in one TTL.</summary>
    public TimeSpan Renew { get; init; } = TimeSpan.FromSeconds(5);

    public void Validate()
    {
        if (Renew <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(Renew), Renew, "lease renew: must be positive");
        if (Ttl < 2 * Renew) throw new ArgumentOutOfRangeException(nameof(Ttl), Ttl, "lease ttl: must be at least twice the renew period");
    }
}

/// <summary>
/// The running client's hold on a sweep: taken before the sweep is touched, renewed in the background while the
/// sweep runs, given up when disposed. If a renewal finds the lease taken by another client (this one stalled past its
/// expiry), <see cref="Lost"/> is cancelled so the run stops writing.
/// </summary>
internal sealed class SweepLease : IAsyncDisposable
{
    private readonly ResultsStore store;
    private readonly string sweep;
    private readonly LeaseHolder holder;
    private readonly SweepLeaseOptions options;
    private readonly TimeProvider time;
    private readonly CancellationTokenSource stop = new();
    private readonly CancellationTokenSource lost = new();
    private readonly Task renewing;

    private SweepLease(ResultsStore store, string sweep, LeaseHolder holder, SweepLeaseOptions options, TimeProvider time)
    {
        this.store = store;
        this.sweep = sweep;
        this.holder = holder;
        this.options = options;
        this.time = time;
        renewing = Task.Run(() => RenewAsync(stop.Token));
    }

    /// <summary>Cancelled when another client took the lease over.</summary>
    public CancellationToken Lost => lost.Token;

    /// <summary>The lease, or the one-line reason it was refused.</summary>
    public static (SweepLease? Lease, string? Refusal) Take(ResultsStore store, string sweep, IReadOnlyCollection<string> trialIds,
        SweepLeaseOptions options, TimeProvider time)
    {
        options.Validate();
        var holder = LeaseHolder.ThisProcess();
        var refusal = store.TakeLease(sweep, trialIds, holder, options.Ttl, static h => h.IsGoneFromThisHost());
        if (refusal is null) return (new SweepLease(store, sweep, holder, options, time), null);
        var what = refusal.Sweep == sweep ? $"sweep '{sweep}'" : $"sweep '{refusal.Sweep}', which shares {refusal.SharedTrials} trial(s) with '{sweep}',";
        var left = refusal.ExpiresAt - time.GetUtcNow();
        return (null, $"{store.Path}: {what} is being run by another client ({refusal.Holder}, last heartbeat " +
                      $"{Timestamps.ToText(refusal.HeartbeatAt)}); wait for it to end, or, if it is dead on another host, for its lease " +
                      $"to expire in {Math.Max(0, Math.Ceiling(left.TotalSeconds)):0} s");
    }

    private async Task RenewAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.Renew, time, cancellationToken);
                if (store.RenewLease(sweep, holder.Owner, options.Ttl)) continue;
                await lost.CancelAsync();
                return;
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ResultsStoreException)
            {
                // Locked for a while (a reader's sqlite3 shell): the next beat tries again, well before expiry.
            }
            catch (Microsoft.Data.Sqlite.SqliteException)
            {
                // The same for a full disk: the sweep itself reports that, once, with its exit code.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await renewing;
        try
        {
            store.ReleaseLease(sweep, holder.Owner);
        }
        catch (Exception e) when (e is ResultsStoreException or Microsoft.Data.Sqlite.SqliteException or ObjectDisposedException)
        {
            // Left to expire; a successor on this host takes it over at once anyway.
        }

        stop.Dispose();
        lost.Dispose();
    }
}
