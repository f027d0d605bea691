using VaeSweep.Client.Store;

namespace VaeSweep.Client.Tests.Store;

public class ResumeTests
{
    /// <summary>Sweep "s" with one trial in every state: pending, running, finished, failed, diverged.</summary>
    private static ResultsStore MixedSweep(string path)
    {
        var store = Samples.StoreWithSweep(path, trialIds: ["pending", "running", "finished", "failed", "diverged"]);
        store.BeginAttempt("running", "h");
        var f = store.BeginAttempt("finished", "h");
        store.FinishTrial("finished", f, Samples.Estimate("validation", -1, -2), Samples.Estimate("test", -1, -2), 1);
        store.FailTrial("failed", store.BeginAttempt("failed", "h"), "boom");
        store.MarkDiverged("diverged", store.BeginAttempt("diverged", "h"), 1, "nan");
        return store;
    }

    [Fact]
    public void ResumeListsOnlyUnfinishedTrialsInSweepOrder()
    {
        using var db = new TempDatabase();
        using (MixedSweep(db.Path)) { }
        // A new process, as after a crash.
        using var store = ResultsStore.Open(db.Path);
        Assert.Equal(new[] { "pending", "running" }, store.PendingTrials("s").Select(t => t.TrialId));
        Assert.Equal(new[] { "pending", "running", "failed" }, store.PendingTrials("s", includeFailed: true).Select(t => t.TrialId));
    }

    [Fact]
    public void CancelStopsUnfinishedTrialsAndIgnoresTheirLateResults()
    {
        using var db = new TempDatabase();
        using var store = MixedSweep(db.Path);
        Assert.Equal(2, store.CancelSweep("s"));

        Assert.Equal(SweepStatus.Cancelled, store.GetSweep("s")!.Status);
        var byId = store.TrialsOf("s").ToDictionary(t => t.TrialId, t => t.Status);
        Assert.Equal(TrialStatus.Cancelled, byId["pending"]);
        Assert.Equal(TrialStatus.Cancelled, byId["running"]);
        Assert.Equal(TrialStatus.Finished, byId["finished"]);
        Assert.Equal(TrialStatus.Failed, byId["failed"]);
        Assert.Empty(store.PendingTrials("s"));

        // The attempt that was running reports in after the cancel: ignored.
        Assert.False(store.FinishTrial("running", 1, Samples.Estimate("validation", -1, -2), Samples.Estimate("test", -1, -2), 1));
        Assert.Contains("reopen its sweep", Assert.Throws<ResultsStoreException>(() => store.BeginAttempt("pending", "h")).Message);
    }

    [Fact]
    public void ReopeningACancelledSweepMakesItsCancelledTrialsPendingAgain()
    {
        using var db = new TempDatabase();
        using var store = MixedSweep(db.Path);
        store.CancelSweep("s");
        Assert.Equal(3, store.ReopenSweep("s", retryFailed: true));
        Assert.Equal(SweepStatus.Running, store.GetSweep("s")!.Status);
        Assert.Equal(new[] { "pending", "running", "failed" }, store.PendingTrials("s").Select(t => t.TrialId));
        var retried = store.GetTrial("running");
        Assert.Equal(2, store.BeginAttempt("running", "h"));
        Assert.Equal(1, retried.Attempts);
    }

    [Fact]
    public void SweepStatusIsSettable()
    {
        using var db = new TempDatabase();
        using var store = Samples.StoreWithSweep(db.Path, trialIds: "t");
        store.BeginAttempt("t", "h");
        store.MarkDiverged("t", 1, 1, "nan");
        store.SetSweepStatus("s", SweepStatus.Finished);
        Assert.Equal(SweepStatus.Finished, store.GetSweep("s")!.Status);
    }
}
