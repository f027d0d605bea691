using System.Text.Json;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using VaeSweep.Grains.Contracts;

namespace VaeSweep.Silo.Broker;

// The slots: each a dedicated thread that takes one work message at a time and runs it to the end.
public sealed partial class BrokerSilo
{
    private void RunSlot(WorkSlot slot)
    {
        try
        {
            while (TakeWorkAsync(slot).GetAwaiter().GetResult() is { } delivery)
                Process(slot, delivery);
        }
        catch (Exception ex) when (stopping.IsCancellationRequested)
        {
            logger.LogDebug("Slot {Slot} ended while stopping: {Error}", slot.Index, ex.Message);
        }
        catch (Exception ex)
        {
            // Nothing should get here; if it does, the slot is lost but the silo (and its heartbeats) live on.
            logger.LogError(ex, "Slot {Slot} failed and stopped", slot.Index);
        }
    }

    /// <summary>
    /// Consumes from the work queue only until one message arrives, then cancels the consumer: the work is
    /// acknowledged early (at TrialStarted), so a standing consumer would be sent more work while the slot is
    /// still busy, and would hold it for hours.
    /// </summary>
    private async Task<WorkDelivery?> TakeWorkAsync(WorkSlot slot)
    {
        var received = new TaskCompletionSource<WorkDelivery>(TaskCreationOptions.RunContinuationsAsynchronously);
        var consumer = new AsyncEventingBasicConsumer(slot.Channel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            var work = new WorkDelivery(delivery.DeliveryTag, delivery.BasicProperties, delivery.Body.ToArray());
            if (received.TrySetResult(work)) return;
            // Only after a recovery re-registered a consumer this slot had already cancelled: give it back.
            await CancelConsumerQuietlyAsync(slot.Channel, delivery.ConsumerTag);
            await slot.Channel.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue: true);
        };

        string tag;
        while (true)
        {
            if (stopping.IsCancellationRequested) return null;
            try
            {
                tag = await slot.Channel.BasicConsumeAsync(topology.WorkQueue, autoAck: false, consumer, stopping.Token);
                break;
            }
            catch (Exception ex) when (!stopping.IsCancellationRequested)
            {
                // The broker is away; the slot waits for the connection to come back.
                logger.LogDebug("Slot {Slot} cannot consume yet: {Error}", slot.Index, ex.Message);
                try
                {
                    await Task.Delay(options.Broker.RetryInterval, time, stopping.Token);
                }
                catch (OperationCanceledException)
                {
                    return null;
                }
            }
        }

        try
        {
            await received.Task.WaitAsync(stopping.Token);
        }
        catch (OperationCanceledException)
        {
        }

        await CancelConsumerQuietlyAsync(slot.Channel, tag);
        if (!stopping.IsCancellationRequested) return await received.Task;
        if (received.Task.IsCompletedSuccessfully)
            await NackQuietlyAsync(slot.Channel, received.Task.Result.Tag);
        return null;
    }

    private void Process(WorkSlot slot, WorkDelivery delivery)
    {
        TrialWork work;
        try
        {
            if (WireJson.Mismatch(delivery.Properties, Topology.WorkType) is { } problem) throw new JsonException(problem);
            work = WireJson.Deserialize<TrialWork>(delivery.Body);
        }
        catch (JsonException ex)
        {
            logger.LogError("Dropped an unreadable work message ({Id}): {Error}", delivery.Properties.MessageId, ex.Message);
            AckAsync(slot, delivery).GetAwaiter().GetResult();
            return;
        }

        var key = new AttemptKey(work.Sweep, work.TrialId, work.Attempt);
        var queue = delivery.Properties.ReplyTo is { Length: > 0 } replyTo ? replyTo : topology.EventsQueue(work.Sweep);
        if (Refusal(key, delivery) is { } refusal)
        {
            if (refusal.Event is null)
            {
                logger.LogInformation("Dropped {Trial} attempt {Attempt}: {Why}", work.TrialId, work.Attempt, refusal.Why);
                AckAsync(slot, delivery).GetAwaiter().GetResult();
                return;
            }

            logger.LogInformation("Not running {Trial} attempt {Attempt}: {Why}", work.TrialId, work.Attempt, refusal.Why);
            var notice = new AttemptOutbox(publisher!, topology, queue, () => AckAsync(slot, delivery), abandon.Token);
            notice.PublishAsync(refusal.Event, abandon.Token).AsTask().GetAwaiter().GetResult();
            Drain(notice);
            return;
        }

        var run = new RunningAttempt();
        running[key] = run;
        var outbox = new AttemptOutbox(publisher!, topology, queue, () => AckAsync(slot, delivery), abandon.Token);
        logger.LogInformation("Running {Trial} attempt {Attempt} of sweep {Sweep} in slot {Slot}", work.TrialId, work.Attempt, work.Sweep, slot.Index);
        try
        {
            try
            {
                grains().RunAsync(work, outbox, run.Token).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (run.Token.IsCancellationRequested)
            {
                if (!abandon.IsCancellationRequested)
                    outbox.PublishAsync(new TrialReleased(work.TrialId, work.Attempt, run.Reason ?? "cancelled"), abandon.Token).AsTask().GetAwaiter().GetResult();
            }
            catch (Exception ex) when (!abandon.IsCancellationRequested)
            {
                logger.LogError(ex, "Trial {Trial} attempt {Attempt} threw", work.TrialId, work.Attempt);
                outbox.PublishAsync(new TrialFailed(work.TrialId, work.Attempt, $"{ex.GetType().Name}: {ex.Message}"), abandon.Token).AsTask().GetAwaiter().GetResult();
            }

            Drain(outbox);
        }
        catch (Exception ex) when (abandon.IsCancellationRequested)
        {
            logger.LogDebug("Trial {Trial} attempt {Attempt} abandoned: {Error}", work.TrialId, work.Attempt, ex.Message);
        }
        finally
        {
            // Unlisted from heartbeats only now, after its last event is confirmed: a client that sees it gone
            // and then finds the events queue empty knows it has every event.
            running.TryRemove(key, out _);
            run.Dispose();
        }

        if (outbox.Confirmed == 0 && !abandon.IsCancellationRequested)
        {
            logger.LogWarning("Trial {Trial} attempt {Attempt} ended without an event; acknowledging its work", work.TrialId, work.Attempt);
            AckAsync(slot, delivery).GetAwaiter().GetResult();
        }
    }

    /// <summary>Why a dequeued work message must not run, and what (if anything) to tell its client.</summary>
    private (string Why, TrialEvent? Event)? Refusal(AttemptKey key, WorkDelivery delivery)
    {
        if (DeliveryCount(delivery.Properties) >= options.MaxDeliveries)
            return ($"handed out {options.MaxDeliveries} times without starting",
                new TrialFailed(key.TrialId, key.Attempt,
                    $"its work was handed to silos {options.MaxDeliveries} times without the trial starting: a silo probably died loading it"));
        if (ledger.IsCancelled(key))
            return ("cancelled before it started", new TrialReleased(key.TrialId, key.Attempt, "cancelled before it started"));
        if (SweepFlaggedAsync(key.Sweep).GetAwaiter().GetResult())
            return ("its sweep is cancelled", new TrialReleased(key.TrialId, key.Attempt, "sweep cancelled"));
        // A redelivery of an attempt already under way (its first acknowledgement was lost with a connection).
        if (running.ContainsKey(key))
            return ("already running here", null);
        if (peers.Running(key.Sweep, new RunningTrial(key.TrialId, key.Attempt), time.GetUtcNow(), instance) is [var peer, ..])
            return ($"already running on {peer}", null);
        return null;
    }

    /// <summary>Waits for every event to be confirmed; the shutdown deadline abandons the wait.</summary>
    private static void Drain(AttemptOutbox outbox) => outbox.CompleteAsync().GetAwaiter().GetResult();

    private async Task AckAsync(WorkSlot slot, WorkDelivery delivery)
    {
        try
        {
            await slot.Channel.BasicAckAsync(delivery.Tag, multiple: false);
            WorkAcknowledged?.Invoke(delivery.Properties.MessageId ?? "");
        }
        catch (Exception ex)
        {
            // The broker took the message back with the connection; heartbeats keep peers off the duplicate.
            logger.LogDebug("Acknowledging work {Id} failed: {Error}", delivery.Properties.MessageId, ex.Message);
        }
    }

    private static long DeliveryCount(IReadOnlyBasicProperties properties)
        => properties.Headers?.TryGetValue("x-delivery-count", out var raw) == true
            ? raw switch { int i => i, long l => l, _ => 0 }
            : 0;

    private async Task CancelConsumerQuietlyAsync(IChannel channel, string consumerTag)
    {
        try
        {
            await channel.BasicCancelAsync(consumerTag);
        }
        catch (Exception ex)
        {
            logger.LogDebug("Cancelling consumer {Tag}: {Error}", consumerTag, ex.Message);
        }
    }

    private async Task NackQuietlyAsync(IChannel channel, ulong tag)
    {
        try
        {
            await channel.BasicNackAsync(tag, multiple: false, requeue: true);
        }
        catch (Exception ex)
        {
            logger.LogDebug("Returning work: {Error}", ex.Message);
        }
    }

    private sealed record WorkSlot(int Index, IChannel Channel);

    private sealed record WorkDelivery(ulong Tag, IReadOnlyBasicProperties Properties, byte[] Body);
}
