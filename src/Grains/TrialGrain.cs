using Microsoft.Extensions.Logging;
using VaeSweep.Contracts;

namespace VaeSweep.Grains;

/// <summary>
/// A trial as an Orleans grain. Training is long CPU work, so it runs on a dedicated thread, never in a
/// grain turn: every call returns at once and no epoch, however long, meets a response timeout. A
/// keep-alive timer holds the activation while it trains and delivers its events, in order, to the
/// observer; an event leaves the outbox only once the observer (the client) has stored it. When the
/// silo dies with the activation, the client gives the trial out again from its last stored checkpoint.
/// </summary>
[HintedPlacement]
public sealed class TrialGrain(DatasetCache datasets, SiloSlots slots, TimeProvider time, ILogger<TrialGrain> logger)
    : Grain, ITrialGrain
{
    // Each event is sent as soon as the training thread adds it (see Kick). The timer is the safety net: it retries
    // after a failed delivery, sends to an observer that attached meanwhile, and ends the activation.
    private static readonly TimeSpan DeliveryPeriod = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(15);

    private readonly EventOutbox outbox = new();
    private ITrialObserver? observer;
    // Cancelled when a new observer attaches, so a call stuck on a client that died (until its response
    // timeout) is abandoned at once and its event goes to the new client instead.
    private CancellationTokenSource attached = new();
    private RunningTrial? held;
    private Thread? training;
    private CancellationTokenSource? stop;
    private IGrainTimer? delivery;
    private long nextDelivery;
    private volatile bool trainingDone = true;
    private volatile bool shuttingDown;
    // The activation's scheduler, so the training thread can ask for a delivery turn; and the delivery under way.
    private TaskScheduler? turns;
    private Task delivering = Task.CompletedTask;

    public Task<StartOutcome> StartAsync(TrialWork work, ITrialObserver newObserver)
    {
        if (held is { } current)
        {
            if (current.Attempt == work.Attempt)
            {
                Attach(newObserver);
                return Task.FromResult(StartOutcome.Started);
            }

            // The client has moved past the attempt held here: stop it, deliver what it left, then start anew.
            Attach(newObserver);
            if (!trainingDone)
            {
                if (current.Attempt < work.Attempt) stop!.Cancel();
                return Task.FromResult(StartOutcome.Busy);
            }

            if (outbox.Count > 0) return Task.FromResult(StartOutcome.Busy);
            slots.Leave(current);
            held = null;
        }

        var attempt = new RunningTrial(work.Sweep, work.TrialId, work.Attempt);
        if (!slots.TryReserve(attempt))
        {
            DeactivateOnIdle();
            return Task.FromResult(StartOutcome.SiloFull);
        }

        held = attempt;
        Attach(newObserver);
        turns = TaskScheduler.Current;
        trainingDone = false;
        stop = new CancellationTokenSource();
        var token = stop.Token;
        training = new Thread(() => Train(work, attempt, token)) { IsBackground = true, Name = $"trial {work.TrialId[..Math.Min(8, work.TrialId.Length)]}" };
        training.Start();
        delivery ??= this.RegisterGrainTimer(DeliverAsync,
            new GrainTimerCreationOptions(TimeSpan.Zero, DeliveryPeriod) { KeepAlive = true, Interleave = true });
        return Task.FromResult(StartOutcome.Started);
    }

    public Task<int?> AttachAsync(ITrialObserver newObserver)
    {
        if (held is not { } current)
        {
            DeactivateOnIdle();
            return Task.FromResult<int?>(null);
        }

        Attach(newObserver);
        return Task.FromResult<int?>(current.Attempt);
    }

    public Task CancelAsync(int attempt)
    {
        if (held?.Attempt == attempt && !trainingDone) stop?.Cancel();
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (!trainingDone && training is { } thread)
        {
            // The silo is stopping (or Orleans moves us): release the attempt so the client gives it out again.
            shuttingDown = true;
            await stop!.CancelAsync();
            await Task.Run(() => thread.Join(StopTimeout), CancellationToken.None);
        }

        // What a delivery under way could not send (it stops at a failure) is tried once more.
        await delivering;
        nextDelivery = 0;
        await DeliverAsync(cancellationToken);
        if (held is { } current) slots.Leave(current);
        stop?.Dispose();
        attached.Dispose();
    }

    private void Attach(ITrialObserver newObserver)
    {
        var previous = attached;
        attached = new CancellationTokenSource();
        observer = newObserver;
        nextDelivery = 0;
        previous.Cancel();
        previous.Dispose();
    }

    private void Train(TrialWork work, RunningTrial attempt, CancellationToken token)
    {
        try
        {
            new TrialAttempt(datasets, slots.Identity.Name, time).Run(work, e =>
            {
                // The slot is free before the client can hear of the end, so the work it then places here is never refused.
                if (e is TrialFinished or TrialPaused or TrialFailed or TrialDiverged) slots.EndTraining(attempt);
                Send(e);
            }, token);
        }
        catch (OperationCanceledException)
        {
            Send(new TrialReleased(work.TrialId, work.Attempt, shuttingDown ? "silo shutting down" : "cancelled"));
        }
        catch (Exception ex)
        {
            // TrialAttempt reports its own failures; this is a defect of the host, still reported rather than lost.
            Send(new TrialFailed(work.TrialId, work.Attempt, $"{ex.GetType().Name}: {ex.Message}"));
        }
        finally
        {
            slots.EndTraining(attempt);
            trainingDone = true;
        }
    }

    /// <summary>
    /// From the training thread: queue the event and ask for a delivery turn at once. Waiting for the timer instead
    /// cost every trial up to a period at its start and again at its end, and the client places the next trial in
    /// a slot only once it hears the last one ended: for short trials (ASHA rungs, small sweeps) that idle time was
    /// most of the scheduling overhead.
    /// </summary>
    private void Send(TrialEvent e)
    {
        outbox.Add(e);
        if (turns is not { } scheduler) return;
        Task.Factory.StartNew(() => DeliverAsync(CancellationToken.None), CancellationToken.None, TaskCreationOptions.None, scheduler)
            .Unwrap()
            .ContinueWith(t => logger.LogDebug(t.Exception, "trial {Trial}: delivery turn failed", this.GetPrimaryKeyString()),
                CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <remarks>
    /// Turns interleave at awaits, and a second delivery would send the head again: while one is under way, callers
    /// share it. It sends what is queued before it stops, and it stops within a turn, so an event queued later
    /// always finds it either running (and is sent by it) or completed (and starts another).
    /// </remarks>
    private Task DeliverAsync(CancellationToken cancellationToken)
    {
        if (!delivering.IsCompleted) return delivering;
        return delivering = DeliverQueuedAsync(cancellationToken);
    }

    private async Task DeliverQueuedAsync(CancellationToken cancellationToken)
    {
        if (time.GetTimestamp() < nextDelivery) return;
        await SendQueuedAsync(cancellationToken);
        if (trainingDone && outbox.Count == 0 && held is { } current)
        {
            slots.Leave(current);
            held = null;
            delivery?.Dispose();
            delivery = null;
            DeactivateOnIdle();
        }
    }

    private async Task SendQueuedAsync(CancellationToken cancellationToken)
    {
        while (observer is { } target && outbox.TryPeek(out var next) && !cancellationToken.IsCancellationRequested)
        {
            var attachment = attached.Token;
            try
            {
                await target.OnEventAsync(next).WaitAsync(attachment);
                outbox.Remove(next);
            }
            catch (OperationCanceledException) when (attachment.IsCancellationRequested)
            {
                // Another client attached meanwhile: send this event again, to it.
            }
            catch (Exception ex)
            {
                // The client is away (restarting, or its connection moving); keep the event for the next observer.
                logger.LogDebug(ex, "trial {Trial}: delivery failed; retrying", this.GetPrimaryKeyString());
                nextDelivery = time.GetTimestamp() + (long)(RetryAfterFailure.TotalSeconds * time.TimestampFrequency);
                return;
            }
        }
    }
}
