using Dapper;
using Microsoft.Data.Sqlite;
using VaeSweep.Client.Store;
using VaeSweep.Client.Tests.Fixtures;
using VaeSweep.Model;
using VaeSweep.Model.Data;

namespace VaeSweep.Client.Tests.Store;

public class FinalWeightsTests
{
    [Fact]
    public void FinishingKeepsTheLastCheckpointAsFinalWeightsAndDropsTheCheckpoint()
    {
        using var db = new TempDatabase();
        using var store = Samples.StoreWithSweep(db.Path, trialIds: "t");
        var a = store.BeginAttempt("t", "h");
        store.SaveCheckpoint("t", a, 1, [1]);
        store.SaveCheckpoint("t", a, 2, [2, 2]);
        Assert.Null(store.FinalWeights("t")); // running: nothing final yet

        store.FinishTrial("t", a, Samples.Estimate("validation", -1, -2), Samples.Estimate("test", -1, -2), 1);

        var weights = store.FinalWeights("t")!;
        Assert.Equal(2, weights.Epoch);
        Assert.Equal(new byte[] { 2, 2 }, weights.Bytes);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(new byte[] { 2, 2 })), weights.Sha256);
        Assert.Null(store.LatestCheckpoint("t"));
    }

    [Fact]
    public void ThisEnginesCheckpointIsKeptAsItsWeightsOnly()
    {
        using var dir = new TempDirectory();
        var (train, test) = IdxDataset.Load(IdxFiles.Write(dir.File("data")));
        var config = new TrialConfig { Latent = 2, Hidden = [8], BatchSize = 32, EvalExamples = 5, ImportanceSamples = 4 };
        var trainer = VaeTrainer.Create(config, DataSplits.Create(train, test, 40, 0));
        Assert.False(trainer.TrainEpoch().Diverged);
        var checkpoint = trainer.SaveCheckpoint();
        using var db = new TempDatabase();
        using var store = Samples.StoreWithSweep(db.Path, trialIds: "t");
        var a = store.BeginAttempt("t", "h");
        store.SaveCheckpoint("t", a, 1, checkpoint);

        store.FinishTrial("t", a, Samples.Estimate("validation", -1, -2), Samples.Estimate("test", -1, -2), 1);

        var weights = store.FinalWeights("t")!;
        Assert.Equal(TrainedVae.WeightsOnly(checkpoint), weights.Bytes);
        Assert.True(weights.Bytes.Length < checkpoint.Length / 2, $"{weights.Bytes.Length} bytes kept of a {checkpoint.Length}-byte checkpoint");
    }

    [Fact]
    public void DivergedAndFailedTrialsKeepNoFinalWeights()
    {
        using var db = new TempDatabase();
        using var store = Samples.StoreWithSweep(db.Path, trialIds: ["d", "f"]);
        var d = store.BeginAttempt("d", "h");
        store.SaveCheckpoint("d", d, 1, [1]);
        store.MarkDiverged("d", d, 2, "NaN");
        var f = store.BeginAttempt("f", "h");
        store.SaveCheckpoint("f", f, 1, [1]);
        store.FailTrial("f", f, "boom");

        Assert.Null(store.FinalWeights("d"));
        Assert.Null(store.FinalWeights("f"));
    }

    [Fact]
    public void AFinishWithoutAnyCheckpointStoresNoWeights()
    {
        using var db = new TempDatabase();
        using var store = Samples.StoreWithSweep(db.Path, trialIds: "t");
        var a = store.BeginAttempt("t", "h");
        Assert.True(store.FinishTrial("t", a, Samples.Estimate("validation", -1, -2), Samples.Estimate("test", -1, -2), 1));
        Assert.Null(store.FinalWeights("t"));
    }

    [Fact]
    public void CorruptFinalWeightsAreDetected()
    {
        using var db = new TempDatabase();
        using var store = Samples.StoreWithSweep(db.Path, trialIds: "t");
        var a = store.BeginAttempt("t", "h");
        store.SaveCheckpoint("t", a, 3, [1, 2, 3]);
        store.FinishTrial("t", a, Samples.Estimate("validation", -1, -2), Samples.Estimate("test", -1, -2), 1);
        using (var c = new SqliteConnection($"Data Source={db.Path};Pooling=False"))
        {
            c.Open();
            c.Execute("UPDATE trial_weights SET bytes = x'010204'");
        }
        var e = Assert.Throws<ResultsStoreException>(() => store.FinalWeights("t"));
        Assert.Contains("final weights of trial t (epoch 3) are corrupt", e.Message);
    }
}
