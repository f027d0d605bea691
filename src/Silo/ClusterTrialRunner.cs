using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using VaeSweep.Contracts;

namespace VaeSweep.Silo;

/// <summary>
/// The client's side of an Orleans cluster, embedded or remote. It looks at the membership and every
/// live silo's slots each <see cref="ClusterRunnerOptions.Poll"/>, and gives waiting work to the silo with
/// the most free slots (a placement hint puts the trial grain there; the silo itself refuses past its
/// slots) as soon as work is submitted or an attempt ends, not at the next look: between looks it counts
/// the slots it filled and the attempts it saw end. It reports an attempt released when its silo leaves
/// the cluster, so the scheduler gives it out again from its last checkpoint, and cancels <see cref="Lost"/>
/// when no silo has answered for <see cref="ClusterRunnerOptions.NoSiloTimeout"/> while work waits.
/// Events arrive through one observer and are acknowledged once stored.
/// </summary>
public sealed class ClusterTrialRunner : IAsyncDisposable
{
    /// <summary>Grain calls return at once; one that takes this long went to a silo that is dying.</summary>
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);

    private readonly IGrainFactory grains;
    private readonly IAsyncDisposable? owner;
    private readonly ClusterRunnerOptions options;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly Channel<ReceivedEvent> events = Channel.CreateUnbounded<ReceivedEvent>();
    private readonly ITrialObserver observer;
    // Orleans holds observer objects weakly: this field keeps ours alive as long as the runner.
    private readonly TrialObserver observerObject;
    private readonly Lock gate = new();
    private readonly LinkedList<TrialWork> pending = new();
    private readonly Dictionary<string, Placement> placed = new();
    private readonly Dictionary<string, int> watched = new();
    // Attempts seen ending since a silo report still listed them as training: their slots are free already.
    private readonly HashSet<(string Trial, int Attempt)> ended = new();
    private readonly CancellationTokenSource stopping = new();
    private readonly CancellationTokenSource lost = new();
    private readonly SemaphoreSlim wake = new(0);
    private readonly Task loop;
    private Dictionary<SiloAddress, SiloReport> silos = new();
    private long lastLook;
    private long lastSiloAnswered;

    private sealed class Placement(int attempt, SiloAddress silo)
    {
        public int Attempt { get; } = attempt;
        public SiloAddress Silo { get; set; } = silo;
        public int Unlisted { get; set; }
    }

    /// <param name="owner">Disposed with the runner: the embedded silo's host, or the remote client's.</param>
    public ClusterTrialRunner(IGrainFactory grains, IAsyncDisposable? owner, ClusterRunnerOptions options, TimeProvider time, ILogger logger)
    {
        options.Validate();
        this.grains = grains;
        this.owner = owner;
        this.options = options;
        this.time = time;
        this.logger = logger;
        lastSiloAnswered = time.GetTimestamp();
        observerObject = new TrialObserver(events.Writer, Seen, stopping.Token);
        observer = grains.CreateObjectReference<ITrialObserver>(observerObject);
        loop = Task.Run(() => LoopAsync(stopping.Token));
    }

    public int? Slots
    {
        get
        {
            var known = Volatile.Read(ref silos);
            return known.Count == 0 ? null : known.Values.Sum(s => s.Slots);
        }
    }

    /// <summary>Cancelled when the cluster has had no live silo for <see cref="ClusterRunnerOptions.NoSiloTimeout"/> while work waited.</summary>
    public CancellationToken Lost => lost.Token;

    /// <summary>Why <see cref="Lost"/> was cancelled, as one line.</summary>
    public string LostReason { get; private set; } = "";

    public IReadOnlyList<SiloReport> Silos => [.. Volatile.Read(ref silos).Values.OrderBy(s => s.Name, StringComparer.Ordinal)];

    public ValueTask SubmitAsync(TrialWork work, CancellationToken cancellationToken)
    {
        lock (gate) pending.AddLast(work);
        wake.Release();
        return ValueTask.CompletedTask;
    }

    public ValueTask WatchAsync(string trialId, int attempt, CancellationToken cancellationToken)
    {
        lock (gate) watched[trialId] = attempt;
        wake.Release();
        return ValueTask.CompletedTask;
    }

    public async ValueTask CancelAsync(string trialId, int attempt, CancellationToken cancellationToken)
    {
        SiloAddress? silo = null;
        lock (gate)
        {
            for (var node = pending.First; node is not null; node = node.Next)
                if (node.Value.TrialId == trialId && node.Value.Attempt == attempt)
                {
                    pending.Remove(node);
                    Release(trialId, attempt, "cancelled before it started");
                    return;
                }

            if (watched.Remove(trialId))
            {
                Release(trialId, attempt, "cancelled");
                return;
            }

            if (placed.TryGetValue(trialId, out var p) && p.Attempt == attempt) silo = p.Silo;
        }

        // Also for an attempt not placed by this client (an older one still running somewhere): the grain ignores others.
        try
        {
            var grain = grains.GetGrain<ITrialGrain>(trialId);
            await (silo is null ? grain.CancelAsync(attempt) : SiloReports.WithHint(silo, () => grain.CancelAsync(attempt))).WaitAsync(CallTimeout, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("cancel of trial {Trial} attempt {Attempt} did not reach its silo: {Error}", trialId, attempt, e.Message);
        }
    }

    public async IAsyncEnumerable<ReceivedEvent> ReadEventsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var e in events.Reader.ReadAllAsync(cancellationToken))
            yield return e;
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        wake.Release();
        await loop.ContinueWith(static _ => { }, TaskScheduler.Default);
        grains.DeleteObjectReference<ITrialObserver>(observer);
        if (owner is not null) await owner.DisposeAsync();
        events.Writer.TryComplete();
        stopping.Dispose();
        lost.Dispose();
        wake.Dispose();
    }

    private async Task LoopAsync(CancellationToken cancellationToken)
    {
        lastLook = time.GetTimestamp() - (long)(options.Poll.TotalSeconds * time.TimestampFrequency);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                // A look costs a grain call per silo: only once per Poll. Placement runs on every wake-up.
                if (time.GetElapsedTime(lastLook) >= options.Poll)
                {
                    lastLook = time.GetTimestamp();
                    await RefreshAsync(cancellationToken);
                }

                await DispatchAsync(cancellationToken);
                var untilLook = options.Poll - time.GetElapsedTime(lastLook);
                if (untilLook > TimeSpan.Zero) await wake.WaitAsync(untilLook, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The cluster is in flux (a gateway moving, Redis restarting): look again shortly.
                logger.LogWarning("cluster: {Error}; retrying", e.Message);
                CheckLost();
                await Task.Delay(options.Poll, time, cancellationToken).ContinueWith(static _ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>Ends the run's wait once no silo has answered for the timeout while work is waiting or placed.</summary>
    private void CheckLost()
    {
        bool waiting;
        lock (gate) waiting = pending.Count > 0 || placed.Count > 0 || watched.Count > 0;
        if (!waiting) lastSiloAnswered = time.GetTimestamp();
        var silent = time.GetElapsedTime(lastSiloAnswered);
        if (silent < options.NoSiloTimeout || lost.IsCancellationRequested) return;
        LostReason = $"no silo of the cluster has answered for {silent.TotalSeconds:0} s (the limit is {options.NoSiloTimeout.TotalSeconds:0} s) " +
                     "while trials waited: every silo is gone, or Redis lost the membership and none has re-joined";
        logger.LogError("{Reason}", LostReason);
        lost.Cancel();
    }

    /// <summary>Reads the membership and each live silo's report; releases what lived on silos that left.</summary>
    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var look = await SiloReports.ReadAsync(grains, cancellationToken);
        var (hosts, reports, complete) = (look.Hosts, look.Reports.ToDictionary(), look.Complete);
        Volatile.Write(ref silos, reports);
        if (reports.Count > 0) lastSiloAnswered = time.GetTimestamp();
        CheckLost();
        List<(string Trial, int Attempt, SiloAddress Silo)> attach = [];
        lock (gate)
        {
            // An end the reports no longer list needs no discount any more.
            ended.RemoveWhere(e => !reports.Values.Any(r => r.Running.Any(t => t.TrialId == e.Trial && t.Attempt == e.Attempt)));

            foreach (var (trial, p) in placed.ToList())
            {
                if (look.Holder(trial, p.Attempt) is { } holder)
                {
                    p.Silo = holder;
                    p.Unlisted = 0;
                }
                else if (!hosts.Contains(p.Silo))
                {
                    placed.Remove(trial);
                    Release(trial, p.Attempt, $"its silo {p.Silo} left the cluster");
                }
                else if (complete && ++p.Unlisted >= options.LostAfterLooks)
                {
                    placed.Remove(trial);
                    Release(trial, p.Attempt, $"no live silo holds it any more (last on {p.Silo})");
                }
            }

            foreach (var (trial, attempt) in watched.ToList())
            {
                if (look.Holder(trial, attempt) is { } holder)
                {
                    attach.Add((trial, attempt, holder));
                }
                else if (complete)
                {
                    watched.Remove(trial);
                    Release(trial, attempt, "its earlier run is not on any live silo");
                }
            }
        }

        foreach (var (trial, attempt, silo) in attach)
        {
            var held = await SiloReports.WithHint(silo, () => grains.GetGrain<ITrialGrain>(trial).AttachAsync(observer)).WaitAsync(CallTimeout, cancellationToken);
            lock (gate)
            {
                if (!watched.Remove(trial)) continue;
                if (held == attempt) placed[trial] = new Placement(attempt, silo);
                else Release(trial, attempt, "its earlier run ended while this client was away");
            }

            logger.LogInformation("trial {Trial} attempt {Attempt}: still running on {Silo}; following it", trial, attempt, silo);
        }
    }

    /// <summary>Gives waiting work, oldest first, to the silos with the most free slots.</summary>
    private async Task DispatchAsync(CancellationToken cancellationToken)
    {
        var reports = Volatile.Read(ref silos);
        Dictionary<SiloAddress, int> free;
        lock (gate)
        {
            if (pending.First is null) return;
            // Ended since its silo last reported: its slot is free, though the report does not say so yet.
            free = reports.ToDictionary(s => s.Key, s => s.Value.Slots - s.Value.Running.Count(t => !ended.Contains((t.TrialId, t.Attempt))));
            foreach (var (trial, p) in placed)
                // Started since its silo last reported: its slot is taken, though the report does not say so yet.
                if (reports.TryGetValue(p.Silo, out var report) && !report.Resident.Any(r => r.TrialId == trial && r.Attempt == p.Attempt))
                    free[p.Silo]--;
        }

        List<TrialWork> busy = [];
        while (true)
        {
            TrialWork work;
            lock (gate)
            {
                if (pending.First is null) break;
                work = pending.First.Value;
                pending.RemoveFirst();
            }

            var target = free.Where(f => f.Value > 0).OrderByDescending(f => f.Value).ThenBy(f => reports[f.Key].Name, StringComparer.Ordinal)
                .Select(f => f.Key).FirstOrDefault();
            if (target is null)
            {
                lock (gate) pending.AddFirst(work);
                break;
            }

            StartOutcome outcome;
            try
            {
                outcome = await SiloReports.WithHint(target, () => grains.GetGrain<ITrialGrain>(work.TrialId).StartAsync(work, observer))
                    .WaitAsync(CallTimeout, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("silo {Silo} did not take trial {Trial}: {Error}", target, work.TrialId, e.Message);
                free[target] = 0;
                lock (gate) pending.AddFirst(work);
                continue;
            }

            switch (outcome)
            {
                case StartOutcome.Started:
                    lock (gate) placed[work.TrialId] = new Placement(work.Attempt, target);
                    free[target]--;
                    break;
                case StartOutcome.SiloFull:
                    free[target] = 0;
                    lock (gate) pending.AddFirst(work);
                    break;
                default:
                    busy.Add(work);
                    break;
            }
        }

        lock (gate)
            foreach (var work in busy)
                pending.AddLast(work);
    }

    /// <summary>Terminal events end this client's tracking of the attempt.</summary>
    private void Seen(TrialEvent e)
    {
        if (e is not (TrialFinished or TrialPaused or TrialFailed or TrialDiverged or TrialReleased)) return;
        lock (gate)
        {
            if (placed.TryGetValue(e.TrialId, out var p) && p.Attempt == e.Attempt)
                placed.Remove(e.TrialId);
            ended.Add((e.TrialId, e.Attempt));
        }

        // A slot is free now: place waiting work at once rather than at the next look.
        try
        {
            wake.Release();
        }
        catch (ObjectDisposedException)
        {
            // A late event after the runner stopped: nothing to place any more.
        }
    }

    private void Release(string trialId, int attempt, string reason) =>
        events.Writer.TryWrite(new ReceivedEvent(new TrialReleased(trialId, attempt, reason), static () => ValueTask.CompletedTask));
}
