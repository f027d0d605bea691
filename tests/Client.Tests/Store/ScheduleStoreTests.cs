using Dapper;
using Microsoft.Data.Sqlite;
using VaeSweep.Client.Store;

namespace VaeSweep.Client.Tests.Store;

/// <summary>Pausing at rungs, storing decisions, pruning and evaluating pruned trials.</summary>
public sealed class ScheduleStoreTests
{
    private static RungDecision Decision(string trial, int rung, RungVerdict verdict, double? cutoff = -50) =>
        new(trial, rung, "asha", "val_elbo", -60, cutoff, 3, verdict);

    [Fact]
    public void A_paused_trial_is_still_to_run_and_is_continued_by_a_new_attempt()
    {
        using var db = new TempDatabase();
        using var store = Samples.StoreWithSweep(db.Path, trialIds: "t");
        var a = store.BeginAttempt("t", "h");
        store.RecordEpoch("t", a, Samples.Epoch(1));

        Assert.True(store.PauseTrial("t", a, 1));
        Assert.Equal(TrialStatus.Paused, store.GetTrial("t").Status);
        Assert.False(store.RecordEpoch("t", a, Samples.Epoch(2))); // the paused attempt writes nothing more
        Assert.Equal("t", Assert.Single(store.PendingTrials("s")).TrialId);
        Assert.True(store.RecordDecision("s", Decision("t", 1, RungVerdict.Continue)));
        Assert.Equal(2, store.BeginAttempt("t", "h"));
        Assert.Equal(TrialStatus.Running, store.GetTrial("t").Status);
    }

    [Fact]
    public void A_decision_is_stored_once_and_a_prune_ends_the_trial_in_the_same_transaction()
    {
        using var db = new TempDatabase();
        using var store = Samples.StoreWithSweep(db.Path, trialIds: ["t", "u"]);
        var a = store.BeginAttempt("t", "h");
        for (var e = 1; e <= 3; e++) store.RecordEpoch("t", a, Samples.Epoch(e, -60 - e));
        store.SaveCheckpoint("t", a, 3, [3]);
        store.PauseTrial("t", a, 3);

        Assert.True(store.RecordDecision("s", Decision("t", 1, RungVerdict.Continue, cutoff: null)));
        Assert.True(store.RecordDecision("s", Decision("t", 3, RungVerdict.Prune)));
        Assert.False(store.RecordDecision("s", Decision("t", 3, RungVerdict.Continue))); // decided already

        var t = store.GetTrial("t");
        Assert.Equal(TrialStatus.Pruned, t.Status);
        Assert.NotNull(t.FinishedAt);
        Assert.Equal([1, 3], store.DecisionsOf("s").Select(d => d.Rung));
        Assert.Equal(Decision("t", 3, RungVerdict.Prune), store.DecisionsOfTrial("t")[1]);
        Assert.Null(store.DecisionsOfTrial("t")[0].Cutoff);
        Assert.Null(store.LatestCheckpoint("t")); // not to be evaluated: nothing to resume
        Assert.Equal(3, store.EpochsOf("t").Count); // its curve is kept
        Assert.DoesNotContain(store.PendingTrials("s"), p => p.TrialId == "t");
        Assert.Throws<ResultsStoreException>(() => store.BeginAttempt("t", "h"));
        using var raw = new SqliteConnection($"Data Source={db.Path};Mode=ReadOnly;Pooling=False");
        Assert.Equal(3, raw.ExecuteScalar<int>("SELECT pruned_epoch FROM results WHERE trial_id = 't'"));
        Assert.Null(raw.ExecuteScalar<int?>("SELECT pruned_epoch FROM results WHERE trial_id = 'u'"));
    }

    [Fact]
    public void Pruning_drops_epochs_trained_past_the_rung()
    {
        // Only a client that died between storing epochs and deciding leaves epochs past an undecided rung.
        using var db = new TempDatabase();
        using var store = Samples.StoreWithSweep(db.Path, trialIds: "t");
        var a = store.BeginAttempt("t", "h");
        for (var e = 1; e <= 4; e++) store.RecordEpoch("t", a, Samples.Epoch(e));
        store.RecordDecision("s", Decision("t", 3, RungVerdict.Prune));
        Assert.Equal([1, 2, 3], store.EpochsOf("t").Select(e => e.Metrics.Epoch));
    }

    [Fact]
    public void A_pruned_trial_evaluated_at_its_rung_keeps_its_status_and_gains_estimates_and_weights()
    {
        using var db = new TempDatabase();
        using var store = Samples.StoreWithSweep(db.Path, trialIds: "t");
        var a = store.BeginAttempt("t", "h");
        store.RecordEpoch("t", a, Samples.Epoch(1));
        store.SaveCheckpoint("t", a, 1, [1, 1]);
        store.PauseTrial("t", a, 1);
        store.RecordDecision("s", Decision("t", 1, RungVerdict.Prune), keepCheckpoint: true);
        Assert.Equal(["t"], store.PrunedWithoutEstimate("s"));
        Assert.Equal(1, store.LatestCheckpoint("t")!.Epoch);

        var e = store.BeginEvaluation("t", "h");
        Assert.Equal(2, e);
        Assert.False(store.RecordEpoch("t", e, Samples.Epoch(1))); // its re-trained epochs are not stored again
        Assert.False(store.FinishPruned("t", a, Samples.Estimate("validation", -1, -2), Samples.Estimate("test", -1, -2))); // stale
        Assert.True(store.FinishPruned("t", e, Samples.Estimate("validation", -1, -2), Samples.Estimate("test", -1, -2)));

        Assert.Equal(TrialStatus.Pruned, store.GetTrial("t").Status);
        Assert.Equal(-1.5, store.GetEvaluation("t", VaeSweep.Model.Split.Validation)!.Estimate.Mean);
        Assert.Equal(1, store.FinalWeights("t")!.Epoch);
        Assert.Empty(store.PrunedWithoutEstimate("s"));
        Assert.Null(store.LatestCheckpoint("t")); // settled, like a finished trial's
    }

    [Fact]
    public void Only_a_pruned_trial_can_be_evaluated_at_a_rung()
    {
        using var db = new TempDatabase();
        using var store = Samples.StoreWithSweep(db.Path, trialIds: "t");
        store.BeginAttempt("t", "h");
        var e = Assert.Throws<ResultsStoreException>(() => store.BeginEvaluation("t", "h"));
        Assert.Contains("is running; only a pruned trial", e.Message);
    }

    [Fact]
    public void Cancelling_a_sweep_cancels_its_paused_trials_and_reopening_makes_them_pending()
    {
        using var db = new TempDatabase();
        using var store = Samples.StoreWithSweep(db.Path, trialIds: "t");
        var a = store.BeginAttempt("t", "h");
        store.RecordEpoch("t", a, Samples.Epoch(1));
        store.PauseTrial("t", a, 1);
        Assert.Equal(1, store.CancelSweep("s"));
        Assert.Equal(TrialStatus.Cancelled, store.GetTrial("t").Status);
        Assert.Equal(1, store.ReopenSweep("s"));
        Assert.Equal(TrialStatus.Pending, store.GetTrial("t").Status);
    }
}
