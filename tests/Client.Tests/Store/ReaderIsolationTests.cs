using Dapper;
using Microsoft.Data.Sqlite;
using VaeSweep.Client.Store;
using VaeSweep.Model;

namespace VaeSweep.Client.Tests.Store;

public class ReaderIsolationTests
{
    // A reader with no patience: any lock wait would surface as an error instead of a delay, so "not
    // blocked" is asserted without timing anything.
    private static readonly ResultsStoreOptions Impatient = new() { BusyTimeout = TimeSpan.Zero, BusyRetries = 0 };

    [Fact]
    public void ReaderDuringTheFinishingTransactionSeesTheOldStateWithoutWaitingThenAllOfIt()
    {
        using var db = new TempDatabase();
        using var writer = Samples.StoreWithSweep(db.Path, trialIds: "t");
        var a = writer.BeginAttempt("t", "h");
        writer.RecordEpoch("t", a, Samples.Epoch(1));
        using var reader = ResultsStore.Open(db.Path, readOnly: true, options: Impatient);

        var seenInside = new List<(TrialStatus Status, bool HasValidation, bool HasTest, double? Seconds)>();
        writer.BeforeCommit = verb =>
        {
            Assert.Equal(nameof(ResultsStore.FinishTrial), verb);
            // The write transaction holds the write lock and has written everything but not committed.
            var t = reader.GetTrial("t");
            seenInside.Add((t.Status, reader.GetEvaluation("t", Split.Validation) is not null,
                reader.GetEvaluation("t", Split.Test) is not null, t.Seconds));
            var ranked = reader.ResultsOf("s").Single();
            Assert.Null(ranked.Validation);
            Assert.Equal(1, reader.QueryReadOnly("SELECT count(*) FROM epochs").Rows[0][0] is long n ? (int)n : -1);
        };
        Assert.True(writer.FinishTrial("t", a, Samples.Estimate("validation", -90, -91), Samples.Estimate("test", -92, -93), 7));
        writer.BeforeCommit = null;

        Assert.Equal([(TrialStatus.Running, false, false, (double?)null)], seenInside);
        var after = reader.ResultsOf("s").Single();
        Assert.Equal(TrialStatus.Finished, after.Trial.Status);
        Assert.Equal(7.0, after.Trial.Seconds);
        Assert.Equal(-90.5, after.Validation!.Mean);
        Assert.Equal(-92.5, after.Test!.Mean);
    }

    [Fact]
    public void AFailedUnitOfWorkLeavesNothingBehind()
    {
        using var db = new TempDatabase();
        using var writer = Samples.StoreWithSweep(db.Path, trialIds: "t");
        var a = writer.BeginAttempt("t", "h");
        writer.BeforeCommit = _ => throw new IOException("disk unplugged");
        Assert.Throws<IOException>(() =>
            writer.FinishTrial("t", a, Samples.Estimate("validation", -90, -91), Samples.Estimate("test", -92, -93), 7));
        writer.BeforeCommit = null;

        Assert.Equal(TrialStatus.Running, writer.GetTrial("t").Status);
        Assert.Null(writer.GetEvaluation("t", Split.Validation));
        Assert.True(writer.FinishTrial("t", a, Samples.Estimate("validation", -90, -91), Samples.Estimate("test", -92, -93), 7));
    }

    [Fact]
    public void RawReaderIsNotBlockedByAnOpenWriteTransaction()
    {
        using var db = new TempDatabase();
        using var writer = Samples.StoreWithSweep(db.Path, trialIds: ["t", "u"]);
        using var sqlite3 = new SqliteConnection($"Data Source={db.Path};Mode=ReadOnly;Pooling=False;Default Timeout=1");
        sqlite3.Open();
        sqlite3.Execute("PRAGMA busy_timeout = 0");
        var counts = new List<long>();
        writer.BeforeCommit = _ => counts.Add(sqlite3.ExecuteScalar<long>("SELECT count(*) FROM trials WHERE status = 'running'"));
        writer.BeginAttempt("t", "h");
        writer.BeforeCommit = null;
        counts.Add(sqlite3.ExecuteScalar<long>("SELECT count(*) FROM trials WHERE status = 'running'"));
        Assert.Equal(new long[] { 0, 1 }, counts);
    }

    [Fact]
    public void ReadOnlyStoreRefusesWrites()
    {
        using var db = new TempDatabase();
        using (Samples.StoreWithSweep(db.Path, trialIds: "t")) { }
        using var reader = ResultsStore.Open(db.Path, readOnly: true);
        Assert.True(reader.IsReadOnly);
        var e = Assert.Throws<ResultsStoreException>(() => reader.BeginAttempt("t", "h"));
        Assert.Contains("BeginAttempt needs a writable store", e.Message);
        Assert.Equal(TrialStatus.Pending, reader.GetTrial("t").Status);
    }

    [Fact]
    public void ReaderOpensAfterTheWriterClosedAndWhileItRuns()
    {
        using var db = new TempDatabase();
        using (Samples.StoreWithSweep(db.Path, trialIds: "t")) { }
        Assert.False(File.Exists(db.Path + "-wal")); // the writer checkpointed and removed it on close
        using (var reader = ResultsStore.Open(db.Path, readOnly: true))
            Assert.Single(reader.TrialsOf("s"));

        using var writer = ResultsStore.Open(db.Path);
        writer.BeginAttempt("t", "h");
        using var reader2 = ResultsStore.Open(db.Path, readOnly: true);
        Assert.Equal(TrialStatus.Running, reader2.GetTrial("t").Status);
    }

    [Fact]
    public void WriterGivesUpClearlyWhenAnotherWriterHoldsTheLock()
    {
        using var db = new TempDatabase();
        using var store = Samples.StoreWithSweep(db.Path,
            options: new ResultsStoreOptions { BusyTimeout = TimeSpan.Zero, BusyRetries = 1 }, trialIds: "t");
        using (var intruder = new SqliteConnection($"Data Source={db.Path};Pooling=False"))
        {
            intruder.Open();
            using var tx = intruder.BeginTransaction(deferred: false);
            var e = Assert.Throws<ResultsStoreException>(() => store.BeginAttempt("t", "h"));
            Assert.Contains("BeginAttempt gave up", e.Message);
            Assert.Contains("locked by another connection", e.Message);
        }
        Assert.Equal(1, store.BeginAttempt("t", "h")); // the lock is gone; the store is still usable
    }
}
