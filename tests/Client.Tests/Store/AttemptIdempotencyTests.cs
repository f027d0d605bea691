using Dapper;
using Microsoft.Data.Sqlite;
using VaeSweep.Client.Store;
using VaeSweep.Model;

namespace VaeSweep.Client.Tests.Store;

public class AttemptIdempotencyTests
{
    private static long Count(string path, string sql)
    {
        using var c = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        c.Open();
        return c.ExecuteScalar<long>(sql);
    }

    [Fact]
    public void AttemptsCountUpAndRecordHostAndStart()
    {
        using var db = new TempDatabase();
        var clock = ManualClock.At("2025-05-05T10:00:00Z");
        using var store = Samples.StoreWithSweep(db.Path, clock, null, "t");
        Assert.Equal(1, store.BeginAttempt("t", "alpha"));
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(2, store.BeginAttempt("t", "beta"));
        var t = store.GetTrial("t");
        Assert.Equal((TrialStatus.Running, 2, "beta"), (t.Status, t.Attempts, t.Host));
        Assert.Equal(clock.GetUtcNow(), t.StartedAt);
    }

    [Fact]
    public void RecordingAnEpochTwiceLeavesOneRow()
    {
        using var db = new TempDatabase();
        using var store = Samples.StoreWithSweep(db.Path, trialIds: "t");
        var a = store.BeginAttempt("t", "h");
        Assert.True(store.RecordEpoch("t", a, Samples.Epoch(1)));
        Assert.True(store.RecordEpoch("t", a, Samples.Epoch(1)));
        Assert.True(store.RecordEpoch("t", a, Samples.Epoch(2)));

        var epochs = store.EpochsOf("t");
        Assert.Equal(new[] { 1, 2 }, epochs.Select(e => e.Metrics.Epoch));
        Assert.Equal(Samples.Epoch(1), epochs[0].Metrics);
        Assert.Equal(2, Count(db.Path, "SELECT count(*) FROM epochs"));
    }

    [Fact]
    public void StaleAttemptWritesAreIgnored()
    {
        using var db = new TempDatabase();
        using var store = Samples.StoreWithSweep(db.Path, trialIds: "t");
        var old = store.BeginAttempt("t", "lost-host");
        Assert.True(store.RecordEpoch("t", old, Samples.Epoch(1, validElbo: -150)));
        var current = store.BeginAttempt("t", "new-host");
        Assert.True(store.RecordEpoch("t", current, Samples.Epoch(1, validElbo: -120)));

        Assert.False(store.RecordEpoch("t", old, Samples.Epoch(1, validElbo: -999)));
        Assert.False(store.RecordEpoch("t", old, Samples.Epoch(2, validElbo: -999)));
        Assert.False(store.SaveCheckpoint("t", old, 2, [1, 2, 3]));
        Assert.False(store.FailTrial("t", old, "the old worker died"));
        Assert.False(store.MarkDiverged("t", old, 2, "nan"));
        Assert.False(store.FinishTrial("t", old, Samples.Estimate("validation", -1, -2), Samples.Estimate("test", -1, -2), 1));

        var only = Assert.Single(store.EpochsOf("t"));
        Assert.Equal((current, -120.0), (only.Attempt, only.Metrics.ValidationElbo));
        Assert.Null(store.LatestCheckpoint("t"));
        var t = store.GetTrial("t");
        Assert.Equal((TrialStatus.Running, (string?)null), (t.Status, t.Error));
        Assert.Null(store.GetEvaluation("t", Split.Validation));
    }

    [Fact]
    public void AnAttemptNeverBegunIsACallerBug()
    {
        using var db = new TempDatabase();
        using var store = Samples.StoreWithSweep(db.Path, trialIds: "t");
        store.BeginAttempt("t", "h");
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => store.RecordEpoch("t", 2, Samples.Epoch(1)));
        Assert.Contains("attempt 2 was never begun", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => store.RecordEpoch("t", 0, Samples.Epoch(1)));
        Assert.Contains("no trial with id nope", Assert.Throws<ResultsStoreException>(() => store.RecordEpoch("nope", 1, Samples.Epoch(1))).Message);
    }

    [Fact]
    public void FinishingTwiceChangesNothingAndNeverAddsARow()
    {
        using var db = new TempDatabase();
        var clock = ManualClock.At("2025-05-05T10:00:00Z");
        using var store = Samples.StoreWithSweep(db.Path, clock, null, "t");
        var a = store.BeginAttempt("t", "h");
        var validation = Samples.Estimate("validation", -90, -95, -100);
        var test = Samples.Estimate("test", -91, -96);
        Assert.True(store.FinishTrial("t", a, validation, test, 12.5));
        var finished = store.GetTrial("t");

        clock.Advance(TimeSpan.FromHours(1));
        Assert.False(store.FinishTrial("t", a, Samples.Estimate("validation", -1, -1), Samples.Estimate("test", -1, -1), 99));
        Assert.False(store.FailTrial("t", a, "late failure"));
        Assert.False(store.RecordEpoch("t", a, Samples.Epoch(3)));

        Assert.Equal(finished, store.GetTrial("t"));
        Assert.Equal((TrialStatus.Finished, 12.5), (finished.Status, finished.Seconds));
        Assert.Equal(2, Count(db.Path, "SELECT count(*) FROM evaluations"));
        var stored = store.GetEvaluation("t", Split.Validation)!;
        Assert.Equal(validation.PerExample, stored.Estimate.PerExample);
        Assert.Equal(validation with { PerExample = stored.Estimate.PerExample }, stored.Estimate);
        Assert.Equal(test.PerExample, store.GetEvaluation("t", Split.Test)!.Estimate.PerExample);
        Assert.Contains("trial t is finished", Assert.Throws<ResultsStoreException>(() => store.BeginAttempt("t", "h")).Message);
    }

    [Fact]
    public void PerExampleIsStoredAsLittleEndianFloat64()
    {
        using var db = new TempDatabase();
        using var store = Samples.StoreWithSweep(db.Path, trialIds: "t");
        var a = store.BeginAttempt("t", "h");
        store.FinishTrial("t", a, Samples.Estimate("validation", -1.5, 2.25), Samples.Estimate("test", 0.5, 0.5), 1);
        using var c = new SqliteConnection($"Data Source={db.Path};Mode=ReadOnly;Pooling=False");
        c.Open();
        var blob = c.ExecuteScalar<byte[]>("SELECT per_example FROM evaluations WHERE split = 'validation'");
        // -1.5 = 0xBFF8000000000000, 2.25 = 0x4002000000000000, least significant byte first.
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0, 0, 0xF8, 0xBF, 0, 0, 0, 0, 0, 0, 0x02, 0x40 }, blob);
    }

    [Fact]
    public void EstimatesForTheWrongSplitOrSizeAreRefused()
    {
        using var db = new TempDatabase();
        using var store = Samples.StoreWithSweep(db.Path, trialIds: "t");
        var a = store.BeginAttempt("t", "h");
        var ok = Samples.Estimate("validation", -1, -2);
        Assert.Contains("split 'test'", Assert.Throws<ArgumentException>(() =>
            store.FinishTrial("t", a, Samples.Estimate("test", -1, -2), Samples.Estimate("test", -1, -2), 1)).Message);
        Assert.Contains("covers 5 examples but has 2", Assert.Throws<ArgumentException>(() =>
            store.FinishTrial("t", a, ok, Samples.Estimate("test", -1, -2) with { Examples = 5 }, 1)).Message);
        Assert.Equal(TrialStatus.Running, store.GetTrial("t").Status);
    }

    [Fact]
    public void FailedTrialCanBeRetriedAndDivergedIsFinal()
    {
        using var db = new TempDatabase();
        var clock = ManualClock.At("2025-05-05T10:00:00Z");
        using var store = Samples.StoreWithSweep(db.Path, clock, null, "f", "d");
        var a = store.BeginAttempt("f", "h");
        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.True(store.FailTrial("f", a, "worker lost"));
        var failed = store.GetTrial("f");
        Assert.Equal((TrialStatus.Failed, "worker lost"), (failed.Status, failed.Error));
        Assert.Equal(30.0, failed.Seconds!.Value, 3);
        Assert.Equal(2, store.BeginAttempt("f", "h"));
        Assert.Null(store.GetTrial("f").Error);

        var d = store.BeginAttempt("d", "h");
        store.RecordEpoch("d", d, Samples.Epoch(1));
        Assert.True(store.MarkDiverged("d", d, 2, "train objective is NaN"));
        var diverged = store.GetTrial("d");
        Assert.Equal((TrialStatus.Diverged, 2, "train objective is NaN"), (diverged.Status, diverged.DivergedEpoch, diverged.Error));
        Assert.False(store.MarkDiverged("d", d, 2, "again"));
        Assert.Contains("diverged", Assert.Throws<ResultsStoreException>(() => store.BeginAttempt("d", "h")).Message);
    }

    [Fact]
    public void NaNMetricsOfADivergingEpochReadBackAsNaN()
    {
        using var db = new TempDatabase();
        using var store = Samples.StoreWithSweep(db.Path, trialIds: "t");
        var a = store.BeginAttempt("t", "h");
        var bad = new EpochMetrics(1, double.NaN, double.NaN, double.PositiveInfinity, 1, double.NaN, 2, 3, 4, 5);
        store.RecordEpoch("t", a, bad);
        var back = Assert.Single(store.EpochsOf("t")).Metrics;
        Assert.True(double.IsNaN(back.TrainObjective));
        Assert.True(double.IsPositiveInfinity(back.TrainKl));
        Assert.Equal(bad, back); // record equality treats NaN as equal to NaN
    }
}
