using Dapper;
using Microsoft.Data.Sqlite;
using VaeSweep.Client.Store;

namespace VaeSweep.Client.Tests.Store;

public class CheckpointTests
{
    [Fact]
    public void LatestCheckpointWinsAndOutOfOrderDeliveryIsIgnored()
    {
        using var db = new TempDatabase();
        using var store = Samples.StoreWithSweep(db.Path, trialIds: "t");
        var a = store.BeginAttempt("t", "h");
        Assert.Null(store.LatestCheckpoint("t"));
        Assert.True(store.SaveCheckpoint("t", a, 1, [1, 1]));
        Assert.True(store.SaveCheckpoint("t", a, 3, [3, 3, 3]));
        Assert.False(store.SaveCheckpoint("t", a, 2, [2, 2])); // arrived late

        var latest = store.LatestCheckpoint("t")!;
        Assert.Equal((3, a), (latest.Epoch, latest.Attempt));
        Assert.Equal(new byte[] { 3, 3, 3 }, latest.Bytes);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(new byte[] { 3, 3, 3 })), latest.Sha256);
    }

    [Fact]
    public void ANewAttemptReplacesTheCheckpointEvenAtAnEarlierEpoch()
    {
        using var db = new TempDatabase();
        using var store = Samples.StoreWithSweep(db.Path, trialIds: "t");
        var first = store.BeginAttempt("t", "h");
        store.SaveCheckpoint("t", first, 5, [5]);
        var second = store.BeginAttempt("t", "h");
        Assert.True(store.SaveCheckpoint("t", second, 1, [1]));
        Assert.Equal((1, second), (store.LatestCheckpoint("t")!.Epoch, store.LatestCheckpoint("t")!.Attempt));
    }

    [Fact]
    public void CheckpointIsDroppedOnFinishUnlessKept()
    {
        using var db = new TempDatabase();
        using (var store = Samples.StoreWithSweep(db.Path, trialIds: ["t", "f"]))
        {
            var a = store.BeginAttempt("t", "h");
            store.SaveCheckpoint("t", a, 1, [9]);
            store.FinishTrial("t", a, Samples.Estimate("validation", -1, -2), Samples.Estimate("test", -1, -2), 1);
            Assert.Null(store.LatestCheckpoint("t"));

            var f = store.BeginAttempt("f", "h");
            store.SaveCheckpoint("f", f, 1, [7]);
            store.FailTrial("f", f, "boom");
            Assert.NotNull(store.LatestCheckpoint("f")); // a retry resumes from it
        }

        using var db2 = new TempDatabase();
        using var keeping = Samples.StoreWithSweep(db2.Path, options: new ResultsStoreOptions { KeepCheckpointsAfterFinish = true }, trialIds: "t");
        var k = keeping.BeginAttempt("t", "h");
        keeping.SaveCheckpoint("t", k, 1, [9]);
        keeping.FinishTrial("t", k, Samples.Estimate("validation", -1, -2), Samples.Estimate("test", -1, -2), 1);
        Assert.Equal(new byte[] { 9 }, keeping.LatestCheckpoint("t")!.Bytes);
    }

    [Fact]
    public void CorruptCheckpointIsDetected()
    {
        using var db = new TempDatabase();
        using var store = Samples.StoreWithSweep(db.Path, trialIds: "t");
        var a = store.BeginAttempt("t", "h");
        store.SaveCheckpoint("t", a, 4, [1, 2, 3, 4]);
        using (var c = new SqliteConnection($"Data Source={db.Path};Pooling=False"))
        {
            c.Open();
            c.Execute("UPDATE checkpoints SET bytes = x'01020305'");
        }
        var e = Assert.Throws<ResultsStoreException>(() => store.LatestCheckpoint("t"));
        Assert.Contains("checkpoint of trial t (epoch 4) is corrupt", e.Message);
    }
}
