using VaeSweep.Contracts;
using VaeSweep.Model;

namespace VaeSweep.Grains.Tests;

public sealed class EventOutboxTests
{
    private static EpochCompleted Epoch(int n) => new("t", 1, new EpochMetrics(n, 0, 0, 0, 0, 0, 0, 0, 0, 0));

    private static CheckpointSaved Checkpoint(int n) => new("t", 1, n, [(byte)n]);

    private static List<TrialEvent> Drain(EventOutbox outbox)
    {
        var all = new List<TrialEvent>();
        while (outbox.TryPeek(out var e))
        {
            all.Add(e);
            outbox.Remove(e);
        }

        return all;
    }

    private static string Describe(TrialEvent e) => e switch
    {
        CheckpointSaved c => $"checkpoint {c.Epoch}",
        EpochCompleted ep => $"epoch {ep.Metrics.Epoch}",
        _ => e.GetType().Name,
    };

    [Fact]
    public void Events_leave_in_the_order_they_came_and_only_when_removed()
    {
        var outbox = new EventOutbox();
        outbox.Add(Epoch(1));
        outbox.Add(Epoch(2));
        Assert.True(outbox.TryPeek(out var first));
        Assert.True(outbox.TryPeek(out var again));
        Assert.Same(first, again);
        outbox.Remove(Epoch(1)); // an equal event, but not the one delivered: stays
        Assert.Equal(2, outbox.Count);
        Assert.Equal([Epoch(1), Epoch(2)], Drain(outbox));
    }

    [Fact]
    public void A_newer_checkpoint_replaces_undelivered_ones_but_never_the_head_in_delivery()
    {
        var outbox = new EventOutbox();
        outbox.Add(Checkpoint(1)); // the head: possibly being sent right now
        outbox.Add(Epoch(2));
        outbox.Add(Checkpoint(2));
        outbox.Add(Epoch(3));
        outbox.Add(Checkpoint(3));

        // Records holding a byte[] compare it by reference, so compare what the events say.
        Assert.Equal(["checkpoint 1", "epoch 2", "epoch 3", "checkpoint 3"], Drain(outbox).Select(Describe));
    }
}
