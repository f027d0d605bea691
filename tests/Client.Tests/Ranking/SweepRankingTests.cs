using System.Text.Json;
using VaeSweep.Client.Ranking;
using VaeSweep.Client.Store;
using VaeSweep.Client.Tests.Store;
using VaeSweep.Model;
using static VaeSweep.Client.Tests.Ranking.RankingFixtures;

namespace VaeSweep.Client.Tests.Ranking;

/// <summary>Ranking read back from a real database: per-example vectors survive storage and pair up.</summary>
public class SweepRankingTests
{
    [Fact]
    public void RankingFromTheStorePairsStoredPerExampleValues()
    {
        using var db = new TempDatabase();
        using var store = Samples.StoreWithSweep(db.Path, trialIds: ["worse", "best", "diverged", "pending"]);
        var w = store.BeginAttempt("worse", "h");
        store.RecordEpoch("worse", w, new EpochMetrics(1, 130, -130, 25, 105, -128, 24, 104, 3, 1000));
        store.RecordEpoch("worse", w, new EpochMetrics(2, 120, -120, 22, 98, -119, 21, 98, 3, 1000));
        store.FinishTrial("worse", w, Estimate(SlightlyWorse), Estimate(SlightlyWorse, "test"), 42);
        var b = store.BeginAttempt("best", "h");
        store.FinishTrial("best", b, Estimate(Hardness), Estimate(Hardness, "test"), 40);
        store.MarkDiverged("diverged", store.BeginAttempt("diverged", "h"), 1, "nan");

        var rows = Ranker.Rank(store.ResultsOf("s"));

        Assert.Equal(new[] { "best", "worse" }, rows.Select(r => r.Trial));
        var worse = rows[1];
        Assert.True(worse.Paired);
        Assert.Equal(1.1, worse.Diff!.Value, 12);
        Assert.Equal(1.0 / 30.0, worse.DiffSe!.Value, 12);
        Assert.True(worse.Distinguishable);
        Assert.Equal((-119.0, 21.0, 98.0, 2, 42.0), (worse.Elbo, worse.Kl, worse.Recon, worse.Epochs, worse.Seconds));
        Assert.Equal((1.0, 0.1, 20, 0.001), (worse.Beta, worse.Sigma, worse.Latent, worse.Lr)); // beta = 1 + ordinal 0
        Assert.Equal(SlightlyWorse.Average(), worse.TestLl!.Value, 12);

        using var doc = JsonDocument.Parse(ResultFormatter.Format(RankingTable.ToQueryResult(rows), OutputFormat.Json));
        Assert.Equal("s", doc.RootElement[0].GetProperty("sweep").GetString());
    }
}
