using VaeSweep.Grains.Contracts;
using VaeSweep.Silo.Broker;

namespace VaeSweep.Silo.Tests.Broker;

public sealed class LeaseTrackerTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(12);
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly RunningTrial A = new("t1", 1);

    [Fact]
    public void A_started_attempt_expires_one_lease_after_it_was_last_renewed()
    {
        var tracker = new LeaseTracker(Lease);
        tracker.Started(A, "s1", T0);
        tracker.Listed(A, "s1", T0.AddSeconds(10));

        Assert.Empty(tracker.Expired(T0.AddSeconds(21)));
        var expired = Assert.Single(tracker.Expired(T0.AddSeconds(22)));
        Assert.Equal((A, "s1", Lease), expired);
    }

    [Fact]
    public void An_ended_attempt_never_comes_back()
    {
        var tracker = new LeaseTracker(Lease);
        tracker.Started(A, "s1", T0);
        tracker.End(A);
        tracker.Started(A, "s1", T0.AddSeconds(1)); // a redelivered TrialStarted
        tracker.Listed(A, "s1", T0.AddSeconds(1));
        tracker.Watch(A, T0.AddSeconds(1));

        Assert.Equal(0, tracker.Count);
        Assert.Empty(tracker.Expired(T0.AddHours(1)));
    }

    [Fact]
    public void A_watched_attempt_has_no_silo_until_one_lists_it()
    {
        var tracker = new LeaseTracker(Lease);
        tracker.Watch(A, T0);
        Assert.Equal((A, (string?)null, Lease), Assert.Single(tracker.Expired(T0 + Lease)));

        tracker.Listed(A, "s2", T0.AddSeconds(5));
        Assert.Equal((A, "s2", Lease), Assert.Single(tracker.Expired(T0.AddSeconds(5) + Lease)));
    }

    [Fact]
    public void A_heartbeat_alone_does_not_start_tracking_an_attempt()
    {
        var tracker = new LeaseTracker(Lease);
        tracker.Listed(A, "s1", T0);

        Assert.Equal(0, tracker.Count);
    }

    [Fact]
    public void A_resubmitted_attempt_is_tracked_again_after_it_ended()
    {
        var tracker = new LeaseTracker(Lease);
        tracker.Started(A, "s1", T0);
        tracker.End(A);
        tracker.Reopen(A);
        tracker.Started(A, "s2", T0.AddSeconds(1));

        Assert.True(tracker.IsTracked(A));
    }

    [Fact]
    public void Refresh_gives_every_attempt_a_new_lease()
    {
        var tracker = new LeaseTracker(Lease);
        tracker.Started(A, "s1", T0);
        tracker.Refresh(T0.AddSeconds(30));

        Assert.Empty(tracker.Expired(T0.AddSeconds(41)));
        Assert.Single(tracker.Expired(T0.AddSeconds(42)));
    }

    [Fact]
    public void An_old_renewal_never_shortens_a_lease()
    {
        var tracker = new LeaseTracker(Lease);
        tracker.Started(A, "s1", T0.AddSeconds(20));
        tracker.Listed(A, "s1", T0.AddSeconds(5)); // processed late, stamped earlier

        Assert.Empty(tracker.Expired(T0.AddSeconds(31)));
    }
}
