using VaeSweep.Client.Store;

namespace VaeSweep.Client.Tests.Store;

public class SweepAndTrialTests
{
    [Fact]
    public void CreatingTheSameSweepTwiceReturnsTheStoredOne()
    {
        using var db = new TempDatabase();
        var clock = ManualClock.At("2025-03-01T12:00:00Z");
        using var store = ResultsStore.Open(db.Path, time: clock);
        var first = store.CreateSweep("beta-sweep", "spec: 1\n");
        clock.Advance(TimeSpan.FromHours(1));
        var again = store.CreateSweep("beta-sweep", "spec: 1\n");

        Assert.Equal(first, again);
        Assert.Equal(DateTimeOffset.Parse("2025-03-01T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture), first.CreatedAt);
        Assert.Equal(SweepStatus.Pending, first.Status);
        // sha256("spec: 1\n"), computed independently.
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("spec: 1\n"u8)), first.SpecSha256);
        Assert.Single(store.Sweeps());
    }

    [Fact]
    public void SameNameWithADifferentSpecIsRefused()
    {
        using var db = new TempDatabase();
        using var store = ResultsStore.Open(db.Path);
        store.CreateSweep("a", "spec: 1\n");
        var e = Assert.Throws<ResultsStoreException>(() => store.CreateSweep("a", "spec: 2\n"));
        Assert.Contains("sweep 'a' already exists with a different spec", e.Message);
        Assert.Equal("spec: 1\n", store.GetSweep("a")!.SpecText);
    }

    [Fact]
    public void AddingTheSameTrialsAgainRepeatsNothing()
    {
        using var db = new TempDatabase();
        using var store = ResultsStore.Open(db.Path);
        store.CreateSweep("s", "spec");
        var trials = new[] { Samples.Trial("aaa", 0), Samples.Trial("bbb", 1), Samples.Trial("ccc", 2) };
        Assert.Equal(3, store.AddTrials("s", trials));
        var attempt = store.BeginAttempt("bbb", "host-1");
        store.FinishTrial("bbb", attempt, Samples.Estimate("validation", -90, -91), Samples.Estimate("test", -92, -93), 5);

        Assert.Equal(0, store.AddTrials("s", trials));

        var listed = store.TrialsOf("s");
        Assert.Equal(new[] { "aaa", "bbb", "ccc" }, listed.Select(t => t.TrialId));
        Assert.Equal(TrialStatus.Finished, listed[1].Status); // the re-add did not reset it
        Assert.Equal(new[] { 0, 1, 2 }, listed.Select(t => t.Ordinal));
    }

    [Fact]
    public void ATrialSharedByTwoSweepsIsOneTrialWithItsResults()
    {
        using var db = new TempDatabase();
        using var store = ResultsStore.Open(db.Path);
        store.CreateSweep("first", "spec 1");
        store.AddTrials("first", [Samples.Trial("shared", 0), Samples.Trial("only-first", 1)]);
        var attempt = store.BeginAttempt("shared", "h");
        store.FinishTrial("shared", attempt, Samples.Estimate("validation", -90, -91), Samples.Estimate("test", -92, -93), 5);

        store.CreateSweep("second", "spec 2");
        Assert.Equal(1, store.AddTrials("second", [Samples.Trial("new", 0), Samples.Trial("shared", 1)]));

        var second = store.TrialsOf("second");
        Assert.Equal(new[] { "new", "shared" }, second.Select(t => t.TrialId));
        Assert.Equal(1, second[1].Ordinal); // its place in this sweep, not its first
        Assert.Equal(TrialStatus.Finished, second[1].Status);
        Assert.Equal(new[] { "new" }, store.PendingTrials("second").Select(t => t.TrialId));
        Assert.Equal(store.GetSweep("first")!.SweepId, store.GetTrial("shared").SweepId);
    }

    [Fact]
    public void SameIdWithADifferentConfigIsRefused()
    {
        using var db = new TempDatabase();
        using var store = ResultsStore.Open(db.Path);
        store.CreateSweep("s", "spec");
        store.AddTrials("s", [Samples.Trial("t", 0, beta: 1)]);
        var e = Assert.Throws<ResultsStoreException>(() => store.AddTrials("s", [Samples.Trial("t", 0, beta: 2)]));
        Assert.Contains("trial t is already stored with a different config", e.Message);
    }

    [Fact]
    public void InvalidTrialsAreRefusedWithWhatAndWhere()
    {
        using var db = new TempDatabase();
        using var store = ResultsStore.Open(db.Path);
        store.CreateSweep("s", "spec");
        var e = Assert.Throws<ArgumentException>(() => store.AddTrials("s",
            [Samples.Trial("dup", 0), Samples.Trial("dup", 1), Samples.Trial("x", 2) with { ConfigJson = "" }]));
        Assert.Contains("trial dup: listed 2 times", e.Message);
        Assert.Contains("trial x: config_json", e.Message);
        Assert.Empty(store.TrialsOf("s")); // nothing half-added
    }

    [Fact]
    public void UnknownSweepIsNamed()
    {
        using var db = new TempDatabase();
        using var store = ResultsStore.Open(db.Path);
        var e = Assert.Throws<ResultsStoreException>(() => store.TrialsOf("nope"));
        Assert.Contains("no sweep named 'nope'", e.Message);
        Assert.Null(store.GetSweep("nope"));
    }

    [Fact]
    public void ConfigColumnsComeFromTheModelConfig()
    {
        using var db = new TempDatabase();
        using var store = ResultsStore.Open(db.Path);
        store.CreateSweep("s", "spec");
        var config = new VaeSweep.Model.TrialConfig
        {
            Latent = 8, Hidden = [400, 200], Activation = VaeSweep.Model.Activation.Tanh, Sigma = 0.05, Beta = 0.5,
            LearningRate = 3e-4, Epochs = 7, BatchSize = 64, Seed = 42,
        };
        store.AddTrials("s", [NewTrial.From("cfg", 3, config, "{\"x\":1}")]);
        var t = store.GetTrial("cfg");
        Assert.Equal((8, "400-200", "tanh", "gaussian", 0.05, 0.5, 3e-4, 7, 64, 42, 3, "{\"x\":1}"),
            (t.Latent, t.Hidden, t.Activation, t.Likelihood, t.Sigma, t.Beta, t.LearningRate, t.Epochs, t.BatchSize, t.Seed, t.Ordinal, t.ConfigJson));
        Assert.Equal(TrialStatus.Pending, t.Status);
        Assert.Equal(0, t.Attempts);
    }
}
