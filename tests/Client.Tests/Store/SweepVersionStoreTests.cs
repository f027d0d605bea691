using Dapper;
using Microsoft.Data.Sqlite;
using VaeSweep.Client.Store;

namespace VaeSweep.Client.Tests.Store;

public sealed class SweepVersionStoreTests
{
    private static NewTrial[] Trials(params string[] ids) => ids.Select((id, i) => Samples.Trial(id, i, beta: 1 + id.Length)).ToArray();

    [Fact]
    public void A_new_version_moves_membership_and_records_what_it_added_and_removed()
    {
        using var db = new TempDatabase();
        var clock = ManualClock.At("2025-03-01T10:00:00Z");
        using var store = ResultsStore.Open(db.Path, time: clock);

        var v1 = store.ApplyVersion("s", "v1", "id-1", "{}", Trials("a", "b", "c"));
        clock.Advance(TimeSpan.FromMinutes(5));
        var v2 = store.ApplyVersion("s", "v2", "id-2", "{}", Trials("c", "d", "a"));

        Assert.Equal(1, v1.Version);
        Assert.Equal(new[] { "a", "b", "c" }, v1.Added);
        Assert.Equal(2, v2.Version);
        Assert.Equal(new[] { "d" }, v2.Added);
        Assert.Equal(new[] { "b" }, v2.Removed);
        // Members keep their places; the newcomer goes after every place used so far.
        Assert.Equal(new[] { ("a", 0), ("c", 2), ("d", 3) }, store.TrialsOf("s").Select(t => (t.TrialId, t.Ordinal)));
        Assert.Equal("b", store.GetTrial("b").TrialId); // left the sweep, not the database
        Assert.Equal("v2", store.GetSweep("s")!.SpecText);
        var versions = store.VersionsOf("s");
        Assert.Equal(new[] { 1, 2 }, versions.Select(v => v.Version));
        Assert.Equal(new[] { "b" }, versions[1].Removed);
        Assert.Equal(clock.GetUtcNow(), versions[1].CreatedAt);
    }

    [Fact]
    public void A_trial_that_comes_back_gets_its_old_place_and_keeps_its_results()
    {
        using var db = new TempDatabase();
        using var store = ResultsStore.Open(db.Path);
        store.ApplyVersion("s", "v1", "id-1", "{}", Trials("a", "b"));
        var attempt = store.BeginAttempt("b", "h");
        store.RecordEpoch("b", attempt, Samples.Epoch(1));
        store.FinishTrial("b", attempt, Samples.Estimate("validation", -90, -91), Samples.Estimate("test", -92, -93), 1.0);

        store.ApplyVersion("s", "v2", "id-2", "{}", Trials("a", "x"));
        Assert.DoesNotContain("b", store.TrialsOf("s").Select(t => t.TrialId));
        Assert.DoesNotContain(store.ResultsOf("s"), r => r.Trial.TrialId == "b");
        var v3 = store.ApplyVersion("s", "v3", "id-3", "{}", Trials("b", "a"));

        Assert.Equal(new[] { "b" }, v3.Added);
        Assert.Equal(new[] { "x" }, v3.Removed);
        Assert.Equal(new[] { ("a", 0), ("b", 1) }, store.TrialsOf("s").Select(t => (t.TrialId, t.Ordinal)));
        Assert.Equal(TrialStatus.Finished, store.GetTrial("b").Status);
        Assert.Equal(new[] { "a" }, store.PendingTrials("s").Select(t => t.TrialId)); // b is not run again
    }

    [Fact]
    public void Retrying_keeps_the_error_history_and_numbers_attempts_on()
    {
        using var db = new TempDatabase();
        using var store = ResultsStore.Open(db.Path);
        store.ApplyVersion("s", "v1", "id-1", "{}", Trials("f", "d", "ok"));
        var f = store.BeginAttempt("f", "h");
        store.RecordFailure("f", f, "boom 1");
        store.FailTrial("f", f, "boom 1 (after 1 failed attempts)");
        var d = store.BeginAttempt("d", "h");
        store.MarkDiverged("d", d, 4, "loss is NaN");

        var onlyFailed = store.RetryTrials("s", failed: true, diverged: false);
        Assert.Equal(new RetriedTrials(1, 0), onlyFailed);
        Assert.Equal(new[] { "f", "ok" }, store.PendingTrials("s").Select(t => t.TrialId));
        Assert.Equal(TrialStatus.Diverged, store.GetTrial("d").Status);

        Assert.Equal(new RetriedTrials(0, 1), store.RetryTrials("s", failed: true, diverged: true));
        var retried = store.GetTrial("d");
        Assert.Equal((TrialStatus.Pending, (string?)null, (int?)null), (retried.Status, retried.Error, retried.DivergedEpoch));
        Assert.Equal(2, store.BeginAttempt("d", "h"));
        Assert.Equal(2, store.BeginAttempt("f", "h"));
        Assert.Equal(1, store.RecordFailure("f", 2, "boom 2")); // counted from the retry on: a full set of attempts

        using var c = new SqliteConnection($"Data Source={db.Path};Mode=ReadOnly;Pooling=False");
        var failures = c.Query<(string, long, string)>("SELECT trial_id, attempt, error FROM attempt_failures ORDER BY trial_id, attempt").ToList();
        Assert.Equal(("d", 1L, "diverged at epoch 4: loss is NaN"), failures[0]);
        Assert.Equal(("f", 1L, "boom 1"), failures[1]); // the attempt's own record stands
        Assert.Equal(("f", 2L, "boom 2"), failures[2]);
        Assert.Equal(3, failures.Count);
    }

    [Fact]
    public void Removing_a_sweep_takes_only_the_trials_no_other_sweep_lists_or_listed()
    {
        using var db = new TempDatabase();
        using var store = ResultsStore.Open(db.Path);
        store.ApplyVersion("gone", "g1", "g-1", "{}", Trials("shared", "former", "own", "left")); // stores them all
        store.ApplyVersion("keep", "k1", "k-1", "{}", Trials("shared", "former"));
        store.ApplyVersion("keep", "k2", "k-2", "{}", Trials("shared"));            // "former" left keep
        store.ApplyVersion("gone", "g2", "g-2", "{}", Trials("shared", "former", "own")); // "left" left gone
        var attempt = store.BeginAttempt("own", "h");
        store.RecordEpoch("own", attempt, Samples.Epoch(1));
        store.RecordFailure("own", attempt, "x");

        var preview = store.PreviewRemoval("gone");
        Assert.Equal(new SweepRemoval(2, 4, 2, 0), preview);
        var done = store.RemoveSweep("gone", keepTrials: false);

        Assert.Equal(2, done.Removed);
        Assert.Null(store.GetSweep("gone"));
        Assert.Equal(new[] { "former", "shared" }, store.FindTrials(["shared", "former", "own", "left"]).Keys.Order());
        Assert.Equal(new[] { "shared" }, store.TrialsOf("keep").Select(t => t.TrialId));
        Assert.Equal(2, store.VersionsOf("keep").Count);
        using var c = new SqliteConnection($"Data Source={db.Path};Mode=ReadOnly;Pooling=False");
        Assert.Equal(0L, c.ExecuteScalar<long>("SELECT count(*) FROM epochs") + c.ExecuteScalar<long>("SELECT count(*) FROM attempt_failures"));
        // The kept trials were first stored by the removed sweep; they now point at the one that lists them.
        Assert.Equal(new long?[] { 2, 2 }, c.Query<long?>("SELECT sweep_id FROM trials ORDER BY trial_id"));
        Assert.Empty(c.Query("PRAGMA foreign_key_check"));
    }

    [Fact]
    public void Removing_with_kept_trials_leaves_every_trial_and_result()
    {
        using var db = new TempDatabase();
        using var store = ResultsStore.Open(db.Path);
        store.ApplyVersion("gone", "g1", "g-1", "{}", Trials("a", "b"));
        var attempt = store.BeginAttempt("a", "h");
        store.RecordEpoch("a", attempt, Samples.Epoch(1));

        var done = store.RemoveSweep("gone", keepTrials: true);

        Assert.Equal(new SweepRemoval(1, 2, 2, 0), done);
        Assert.Empty(store.Sweeps());
        Assert.Single(store.EpochsOf("a"));
        using var c = new SqliteConnection($"Data Source={db.Path};Mode=ReadOnly;Pooling=False");
        Assert.Equal(new long?[] { null, null }, c.Query<long?>("SELECT sweep_id FROM trials ORDER BY trial_id"));
        // A later sweep listing them finds them, results and all.
        store.ApplyVersion("again", "a1", "a-1", "{}", Trials("a"));
        Assert.Equal(TrialStatus.Running, Assert.Single(store.TrialsOf("again")).Status);
    }

    [Fact]
    public void An_unknown_sweep_is_a_clear_error_for_every_verb()
    {
        using var db = new TempDatabase();
        using var store = ResultsStore.Open(db.Path);
        Assert.Null(store.LatestVersion("nope"));
        Assert.Contains("no sweep named 'nope'", Assert.Throws<ResultsStoreException>(() => store.VersionsOf("nope")).Message);
        Assert.Contains("no sweep named 'nope'", Assert.Throws<ResultsStoreException>(() => store.RemoveSweep("nope", false)).Message);
        Assert.Contains("no sweep named 'nope'", Assert.Throws<ResultsStoreException>(() => store.RetryTrials("nope", true, false)).Message);
    }
}
