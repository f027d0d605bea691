using VaeSweep.Client.Ranking;
using VaeSweep.Client.Store;
using VaeSweep.Model;
using static VaeSweep.Client.Tests.Ranking.RankingFixtures;

namespace VaeSweep.Client.Tests.Ranking;

public class RankerTests
{
    [Fact]
    public void RanksByValidationNotTestAndFlagsDistinguishability()
    {
        var (b, o) = Disagreeing();
        var results = new[]
        {
            // ordinal 0: paired-close to "best" but worse; ordinal 1: the best; ordinal 2: better test LL, worse validation.
            Result("close", 0, Estimate(o), Estimate(o, "test")),
            Result("best", 1, Estimate(b), Estimate(b, "test")),
            Result("far", 2, Estimate(b.Select(x => x - 5).ToArray()), Estimate(b.Select(x => x + 50).ToArray(), "test")),
        };

        var rows = Ranker.Rank(results);

        Assert.Equal(new[] { "best", "close", "far" }, rows.Select(r => r.Trial));
        Assert.Equal(new int?[] { 1, 2, 3 }, rows.Select(r => r.Rank));
        Assert.Equal(new bool?[] { false, false, true }, rows.Select(r => r.Distinguishable));
        Assert.Equal((0.0, 0.0, true), (rows[0].Diff!.Value, rows[0].DiffSe!.Value, rows[0].Paired!.Value));
        Assert.Equal(1.0, rows[1].Diff!.Value, 12);
        Assert.Equal(6.0 / Math.Sqrt(99), rows[1].DiffSe!.Value, 12);
        Assert.Equal(5.0, rows[2].Diff!.Value, 12);
        Assert.Equal(0.0, rows[2].DiffSe!.Value, 12); // every example exactly 5 worse
        Assert.Equal(-50.0, rows[2].TestLl!.Value, 12);
        Assert.All(rows, r => Assert.Equal("sweep-a", r.Sweep));
    }

    [Fact]
    public void ZIsConfigurableAndValidated()
    {
        var results = new[] { Result("best", 0, Estimate(Hardness)), Result("worse", 1, Estimate(SlightlyWorse)) };
        Assert.True(Ranker.Rank(results)[1].Distinguishable); // 1.1 vs 1.96/30
        Assert.False(Ranker.Rank(results, new RankingOptions { Z = 40 })[1].Distinguishable); // 1.1 < 40/30
        Assert.Contains("z: must be a positive number", Assert.Throws<ArgumentException>(() => Ranker.Rank(results, new RankingOptions { Z = 0 })).Message);
    }

    [Fact]
    public void PrunedTrialsRankBelowEveryFinishedOneWhateverTheirEstimateAndShowWithoutOne()
    {
        var results = new[]
        {
            Result("pruned-high", 0, Estimate(Hardness.Select(x => x + 50).ToArray()), status: TrialStatus.Pruned),
            Result("finished-low", 1, Estimate(Hardness)),
            Result("pruned-bare", 2, null, status: TrialStatus.Pruned),
            Result("pruned-mid", 3, Estimate(Hardness.Select(x => x + 10).ToArray()), status: TrialStatus.Pruned),
            Result("running", 4, null, status: TrialStatus.Running),
        };

        var rows = Ranker.Rank(results);

        Assert.Equal(new[] { "finished-low", "pruned-high", "pruned-mid", "pruned-bare" }, rows.Select(r => r.Trial));
        Assert.Equal(new int?[] { 1, 2, 3, null }, rows.Select(r => r.Rank));
        Assert.Equal(-50.0, rows[1].Diff!.Value, 12); // compared with the best finished trial, which it beats
        Assert.Equal(new[] { "finished", "pruned", "pruned", "pruned" }, rows.Select(r => r.Status));
    }

    [Fact]
    public void UnfinishedTrialsAreLeftOutOrListedUnranked()
    {
        var epoch = new EpochMetrics(3, 1, -1, 20, 80, -101, 21, 80, 2, 100);
        var results = new[]
        {
            Result("diverged", 0, null, status: TrialStatus.Diverged, lastEpoch: epoch),
            Result("done", 1, Estimate(Hardness)),
            Result("running", 2, null, status: TrialStatus.Running),
        };

        Assert.Equal(new[] { "done" }, Ranker.Rank(results).Select(r => r.Trial));

        var all = Ranker.Rank(results, new RankingOptions { IncludeUnfinished = true });
        Assert.Equal(new[] { "done", "diverged", "running" }, all.Select(r => r.Trial));
        var diverged = all[1];
        Assert.Equal(("diverged", (int?)null, (double?)null, (bool?)null, 3), (diverged.Status, diverged.Rank, diverged.HeldoutLl, diverged.Distinguishable, diverged.Epochs));
        Assert.Equal((-101.0, 21.0, 80.0), (diverged.Elbo!.Value, diverged.Kl!.Value, diverged.Recon!.Value));
    }

    [Fact]
    public void TiesKeepSweepOrder()
    {
        var results = new[] { Result("z-second", 5, Estimate(Hardness)), Result("a-first", 2, Estimate(Hardness)) };
        Assert.Equal(new[] { "a-first", "z-second" }, Ranker.Rank(results).Select(r => r.Trial));
    }

    [Fact]
    public void NoFinishedTrialsGiveNoRows() =>
        Assert.Empty(Ranker.Rank([Result("p", 0, null, status: TrialStatus.Pending)]));
}
