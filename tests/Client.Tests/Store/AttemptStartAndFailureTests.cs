using VaeSweep.Client.Store;

namespace VaeSweep.Client.Tests.Store;

public class AttemptStartAndFailureTests
{
    [Fact]
    public void MarkStartedRecordsWhereAndWhenTheWorkerBegan()
    {
        using var db = new TempDatabase();
        var clock = ManualClock.At("2025-05-05T10:00:00Z");
        using var store = Samples.StoreWithSweep(db.Path, clock, null, "t");
        var a = store.BeginAttempt("t", "");
        clock.Advance(TimeSpan.FromMinutes(5)); // queued for a while
        Assert.True(store.MarkStarted("t", a, "silo-3"));
        var t = store.GetTrial("t");
        Assert.Equal(("silo-3", clock.GetUtcNow()), (t.Host, t.StartedAt!.Value));

        var b = store.BeginAttempt("t", "");
        Assert.False(store.MarkStarted("t", a, "late-silo"));
        Assert.Equal("", store.GetTrial("t").Host);
        Assert.True(store.MarkStarted("t", b, "silo-4"));
    }

    [Fact]
    public void MarkStartedListsEachEngineThatRanTheTrialOnce()
    {
        using var db = new TempDatabase();
        using var store = Samples.StoreWithSweep(db.Path, trialIds: "t");
        var a = store.BeginAttempt("t", "");
        Assert.True(store.MarkStarted("t", a, "old-silo", engine: null));
        Assert.Null(store.GetTrial("t").Engine);

        Assert.True(store.MarkStarted("t", a, "s1", "numerics 2, avx512"));
        Assert.True(store.MarkStarted("t", a, "s1", "numerics 2, avx512"));   // a redelivered start
        Assert.Equal("numerics 2, avx512", store.GetTrial("t").Engine);

        var b = store.BeginAttempt("t", "");
        Assert.False(store.MarkStarted("t", a, "late", "numerics 1, scalar"));   // stale: changes nothing
        Assert.True(store.MarkStarted("t", b, "s2", "numerics 2, avx2"));
        var c = store.BeginAttempt("t", "");
        Assert.True(store.MarkStarted("t", c, "s1", "numerics 2, avx512"));
        Assert.True(store.MarkStarted("t", c, "old-silo", engine: null));
        Assert.Equal("numerics 2, avx512 + numerics 2, avx2", store.GetTrial("t").Engine);
    }

    [Fact]
    public void OnlyAttemptsAWorkerStartedCountAsStartedEachOnce()
    {
        using var db = new TempDatabase();
        using var store = Samples.StoreWithSweep(db.Path, trialIds: "t");
        var queued = store.BeginAttempt("t", "");               // given out; its silo dies before it starts
        var lost = store.BeginAttempt("t", "");
        Assert.Equal((2, 0), (store.GetTrial("t").Attempts, store.GetTrial("t").StartedAttempts));

        Assert.True(store.MarkStarted("t", lost, "s1"));
        Assert.True(store.MarkStarted("t", lost, "s1"));         // a redelivered start
        Assert.Equal((2, 1), (store.GetTrial("t").Attempts, store.GetTrial("t").StartedAttempts));

        var current = store.BeginAttempt("t", "");
        Assert.False(store.MarkStarted("t", queued, "late"));    // stale, but it did start: counted, nothing else changes
        Assert.Equal(("", 2), (store.GetTrial("t").Host, store.GetTrial("t").StartedAttempts));
        Assert.True(store.MarkStarted("t", current, "s2"));
        Assert.True(store.FinishTrial("t", current, Samples.Estimate("validation", -1, -2), Samples.Estimate("test", -1, -2), 1));
        var t = store.GetTrial("t");
        Assert.Equal((TrialStatus.Finished, 3, 3), (t.Status, t.Attempts, t.StartedAttempts));
        Assert.Equal(3L, store.QueryReadOnly("SELECT started_attempts FROM results WHERE trial_id = 't'").Rows.Single()[0]);
    }

    [Fact]
    public void FailuresAreCountedOncePerAttempt()
    {
        using var db = new TempDatabase();
        using var store = Samples.StoreWithSweep(db.Path, trialIds: "t");
        var first = store.BeginAttempt("t", "h");
        Assert.Equal(1, store.RecordFailure("t", first, "out of memory"));
        Assert.Equal(1, store.RecordFailure("t", first, "out of memory")); // re-delivered
        var t = store.GetTrial("t");
        Assert.Equal((TrialStatus.Running, "attempt 1 failed: out of memory"), (t.Status, t.Error));

        var second = store.BeginAttempt("t", "h");
        Assert.Null(store.GetTrial("t").Error);
        Assert.Equal(1, store.RecordFailure("t", first, "stale")); // the old attempt adds nothing
        Assert.Equal(2, store.RecordFailure("t", second, "killed"));
        Assert.True(store.FailTrial("t", second, "killed (after 2 failed attempts)"));
        Assert.Equal(2, store.RecordFailure("t", second, "again")); // settled: nothing more
        Assert.Equal("killed (after 2 failed attempts)", store.GetTrial("t").Error);
    }
}
