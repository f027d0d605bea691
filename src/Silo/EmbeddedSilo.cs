using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using VaeSweep.Grains;
using VaeSweep.Grains.Contracts;

namespace VaeSweep.Silo;

/// <summary>
/// Runs trial grains inside the client process: one dedicated thread per slot, work from an in-memory
/// queue, events to an in-memory channel. Nothing to acknowledge: the process is the whole system.
/// </summary>
public sealed class EmbeddedSilo : ITrialRunner
{
    private readonly Channel<TrialWork> work = Channel.CreateUnbounded<TrialWork>();
    private readonly Channel<ReceivedEvent> events = Channel.CreateUnbounded<ReceivedEvent>();
    private readonly ConcurrentDictionary<RunningTrial, CancellationTokenSource> running = new();
    private readonly ConcurrentDictionary<RunningTrial, byte> cancelled = new();
    private readonly EmbeddedSiloOptions options;
    private readonly TimeProvider time;
    private readonly CancellationTokenSource shutdown = new();
    private readonly Thread[] slots;
    private readonly Func<ITrialGrain> grains;

    public EmbeddedSilo(EmbeddedSiloOptions options, Func<ITrialGrain> grainFactory, TimeProvider time)
    {
        options.Validate();
        this.options = options;
        this.time = time;
        grains = grainFactory;
        slots = new Thread[options.Slots];
        for (var i = 0; i < slots.Length; i++)
        {
            slots[i] = new Thread(RunSlot) { IsBackground = true, Name = $"slot-{i}" };
            slots[i].Start();
        }
    }

    /// <summary>The usual silo: real grains sharing one dataset cache.</summary>
    public static EmbeddedSilo Create(EmbeddedSiloOptions options, TimeProvider time)
    {
        var datasets = new DatasetCache();
        return new EmbeddedSilo(options, () => new TrialGrain(datasets, options.Name, time), time);
    }

    public int? Slots => slots.Length;

    public IReadOnlyList<SiloHeartbeat> Silos =>
        [new SiloHeartbeat(options.Name, Environment.MachineName, slots.Length, [.. running.Keys], time.GetUtcNow())];

    public ValueTask SubmitAsync(TrialWork trial, CancellationToken cancellationToken)
        => work.Writer.WriteAsync(trial, cancellationToken);

    /// <summary>Nothing outlives this process, so an earlier client's trial can only have been lost: release it.</summary>
    public ValueTask WatchAsync(string trialId, int attempt, CancellationToken cancellationToken)
    {
        Publish(new TrialReleased(trialId, attempt, "its earlier run ended with the process that ran it"));
        return ValueTask.CompletedTask;
    }

    public ValueTask CancelAsync(string trialId, int attempt, CancellationToken cancellationToken)
    {
        var key = new RunningTrial(trialId, attempt);
        cancelled[key] = 0;
        if (running.TryGetValue(key, out var cts)) cts.Cancel();
        return ValueTask.CompletedTask;
    }

    public async IAsyncEnumerable<ReceivedEvent> ReadEventsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var e in events.Reader.ReadAllAsync(cancellationToken))
            yield return e;
    }

    public async ValueTask DisposeAsync()
    {
        work.Writer.TryComplete();
        await shutdown.CancelAsync();
        foreach (var cts in running.Values) await cts.CancelAsync();
        foreach (var slot in slots) slot.Join();
        events.Writer.TryComplete();
        shutdown.Dispose();
    }

    private void RunSlot()
    {
        var sink = new ChannelSink(events.Writer);
        while (WaitForWork(out var trial))
        {
            var key = new RunningTrial(trial.TrialId, trial.Attempt);
            if (cancelled.TryRemove(key, out _))
            {
                Publish(new TrialReleased(trial.TrialId, trial.Attempt, "cancelled before it started"));
                continue;
            }

            using var cts = CancellationTokenSource.CreateLinkedTokenSource(shutdown.Token);
            running[key] = cts;
            try
            {
                grains().RunAsync(trial, sink, cts.Token).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
                Publish(new TrialReleased(trial.TrialId, trial.Attempt, shutdown.IsCancellationRequested ? "silo shutting down" : "cancelled"));
            }
            finally
            {
                running.TryRemove(key, out _);
                cancelled.TryRemove(key, out _);
            }
        }
    }

    private bool WaitForWork(out TrialWork trial)
    {
        trial = null!;
        try
        {
            while (!work.Reader.TryRead(out trial!))
                if (!work.Reader.WaitToReadAsync(shutdown.Token).AsTask().GetAwaiter().GetResult())
                    return false;
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void Publish(TrialEvent e) => events.Writer.TryWrite(new ReceivedEvent(e, static () => ValueTask.CompletedTask));

    private sealed class ChannelSink(ChannelWriter<ReceivedEvent> writer) : ITrialEventSink
    {
        public ValueTask PublishAsync(TrialEvent trialEvent, CancellationToken cancellationToken)
            => writer.WriteAsync(new ReceivedEvent(trialEvent, static () => ValueTask.CompletedTask), CancellationToken.None);
    }
}
