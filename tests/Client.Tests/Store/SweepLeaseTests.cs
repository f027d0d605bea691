using VaeSweep.Client.Store;
using VaeSweep.Client.Tests.Fixtures;

namespace VaeSweep.Client.Tests.Store;

/// <summary>The sweep lease in the store: one live client per sweep, and per trial shared between sweeps.</summary>
public sealed class SweepLeaseTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);

    // Holders on another host are never known to be gone: only expiry frees their lease.
    private static LeaseHolder Remote(string owner) => new(owner, "elsewhere", 4242, DateTimeOffset.UnixEpoch);

    private static readonly Func<LeaseHolder, bool> NeverGone = static _ => false;

    [Fact]
    public void A_second_holder_is_refused_while_the_first_lease_lives_and_gets_it_once_it_expired()
    {
        using var db = new TempDatabase();
        var clock = ManualClock.At("2026-01-01T00:00:00Z");
        using var store = Samples.StoreWithSweep(db.Path, clock, trialIds: ["a", "b"]);

        Assert.Null(store.TakeLease("s", ["a", "b"], Remote("first"), Ttl, NeverGone));
        clock.Advance(TimeSpan.FromSeconds(29));
        var refused = store.TakeLease("s", ["a", "b"], Remote("second"), Ttl, NeverGone);

        Assert.NotNull(refused);
        Assert.Equal("s", refused.Sweep);
        Assert.Equal("first", refused.Holder.Owner);
        Assert.Equal(2, refused.SharedTrials);

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(store.TakeLease("s", ["a", "b"], Remote("second"), Ttl, NeverGone));
        // The first holder, back from a stall, finds it gone and must stop.
        Assert.False(store.RenewLease("s", "first", Ttl));
        Assert.True(store.RenewLease("s", "second", Ttl));
        Assert.Equal("second", store.LeaseOf("s")!.Holder.Owner);
    }

    [Fact]
    public void Renewing_keeps_the_lease_past_its_first_expiry()
    {
        using var db = new TempDatabase();
        var clock = ManualClock.At("2026-01-01T00:00:00Z");
        using var store = Samples.StoreWithSweep(db.Path, clock, trialIds: ["a"]);
        Assert.Null(store.TakeLease("s", ["a"], Remote("first"), Ttl, NeverGone));
        for (var i = 0; i < 10; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(10));
            Assert.True(store.RenewLease("s", "first", Ttl));
        }

        Assert.NotNull(store.TakeLease("s", ["a"], Remote("second"), Ttl, NeverGone));
    }

    [Fact]
    public void A_holder_whose_process_is_gone_is_taken_over_at_once()
    {
        using var db = new TempDatabase();
        using var store = Samples.StoreWithSweep(db.Path, trialIds: ["a"]);
        Assert.Null(store.TakeLease("s", ["a"], Remote("dead"), Ttl, NeverGone));

        Assert.Null(store.TakeLease("s", ["a"], Remote("successor"), Ttl, h => h.Owner == "dead"));
    }

    [Fact]
    public void Another_sweep_sharing_a_trial_is_refused_and_a_disjoint_one_is_not()
    {
        using var db = new TempDatabase();
        using var store = Samples.StoreWithSweep(db.Path, trialIds: ["a", "b"]);
        Assert.Null(store.TakeLease("s", ["a", "b"], Remote("first"), Ttl, NeverGone));

        var refused = store.TakeLease("other", ["b", "c"], Remote("second"), Ttl, NeverGone);
        Assert.NotNull(refused);
        Assert.Equal("s", refused.Sweep);
        Assert.Equal(1, refused.SharedTrials);
        Assert.Null(store.TakeLease("disjoint", ["c", "d"], Remote("third"), Ttl, NeverGone));
    }

    [Fact]
    public void A_released_lease_is_free_and_releasing_someone_else_s_changes_nothing()
    {
        using var db = new TempDatabase();
        using var store = Samples.StoreWithSweep(db.Path, trialIds: ["a"]);
        Assert.Null(store.TakeLease("s", ["a"], Remote("first"), Ttl, NeverGone));
        store.ReleaseLease("s", "not-me");
        Assert.NotNull(store.TakeLease("s", ["a"], Remote("second"), Ttl, NeverGone));
        store.ReleaseLease("s", "first");
        Assert.Null(store.LeaseOf("s"));
        Assert.Null(store.TakeLease("s", ["a"], Remote("second"), Ttl, NeverGone));
    }

    [Fact]
    public void This_process_is_alive_and_a_pid_that_is_not_running_is_gone()
    {
        var me = LeaseHolder.ThisProcess();
        Assert.False(me.IsGoneFromThisHost());
        Assert.True((me with { ProcessStarted = me.ProcessStarted.AddHours(-1) }).IsGoneFromThisHost());
        Assert.True((me with { Pid = int.MaxValue }).IsGoneFromThisHost());
        Assert.False((me with { Host = "another-host", Pid = int.MaxValue }).IsGoneFromThisHost());
    }

    [Fact]
    public void A_sweep_is_never_marked_finished_while_a_trial_of_it_has_not_ended()
    {
        using var db = new TempDatabase();
        using var store = Samples.StoreWithSweep(db.Path, trialIds: ["done", "open"]);
        store.BeginAttempt("done", "h");
        store.FinishTrial("done", 1, Samples.Estimate("validation", -90, -91), Samples.Estimate("test", -92, -93), 1.0);
        store.BeginAttempt("open", "h");

        var e = Assert.Throws<ResultsStoreException>(() => store.SetSweepStatus("s", SweepStatus.Finished));
        Assert.Contains("sweep 's' cannot be marked finished", e.Message);
        Assert.Contains("open (running)", e.Message);
        Assert.Equal(SweepStatus.Pending, store.GetSweep("s")!.Status);
    }

    [Fact]
    public void A_database_whose_schema_version_table_was_dropped_is_refused_with_a_message()
    {
        using var db = new TempDatabase();
        using (Samples.StoreWithSweep(db.Path, trialIds: ["a"])) { }
        RawSql.Execute(db.Path, "DROP TABLE schema_version");

        var e = Assert.Throws<ResultsStoreException>(() => ResultsStore.Open(db.Path));
        Assert.Contains("no schema_version table", e.Message);
        Assert.Contains(db.Path, e.Message);
        // Refused before anything was written: the trial is still there, the table still missing.
        Assert.Equal(1L, RawScalar(db.Path, "SELECT count(*) FROM trials"));
        Assert.Equal(0L, RawScalar(db.Path, "SELECT count(*) FROM sqlite_master WHERE name = 'schema_version'"));
    }

    private static long RawScalar(string path, string sql)
    {
        using var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
