using Dapper;
using Microsoft.Data.Sqlite;
using VaeSweep.Client.Store;
using VaeSweep.Model;
using VaeSweep.Model.Evaluation;

namespace VaeSweep.Client.Tests.Store;

public class LatentStatisticsStoreTests
{
    private static LogLikelihoodEstimate WithStats(LogLikelihoodEstimate estimate, int active, double[] kl, double distortion) =>
        estimate with { Latent = new LatentStatistics(0.02, active, [.. kl.Select(k => k / 10)], kl, kl.Sum(), distortion) };

    [Fact]
    public void Statistics_round_trip_through_finish_and_both_readers()
    {
        using var db = new TempDatabase();
        using var store = Samples.StoreWithSweep(db.Path, trialIds: ["t"]);
        var validation = WithStats(Samples.Estimate("validation", -90, -91), 2, [3.5, 0.0001, 1.25], 87.5);
        var test = WithStats(Samples.Estimate("test", -92, -93), 1, [3, 0.5, double.NaN], 88);
        store.FinishTrial("t", store.BeginAttempt("t", "h"), validation, test, 5);

        foreach (var (stored, given) in new[]
                 {
                     (store.GetEvaluation("t", Split.Validation)!.Estimate.Latent!, validation.Latent!),
                     (store.ResultsOf("s").Single().Validation!.Latent!, validation.Latent!),
                     (store.GetEvaluation("t", Split.Test)!.Estimate.Latent!, test.Latent!),
                 })
        {
            Assert.Equal((given.ActiveThreshold, given.ActiveUnits, given.Distortion), (stored.ActiveThreshold, stored.ActiveUnits, stored.Distortion));
            Assert.Equal(given.Rate, stored.Rate);   // NaN reads back as NaN
            Assert.Equal(given.KlPerDimension, stored.KlPerDimension);
            Assert.Equal(given.Activity, stored.Activity);
        }
    }

    [Fact]
    public void Statistics_are_queryable_by_sql()
    {
        using var db = new TempDatabase();
        using var store = Samples.StoreWithSweep(db.Path, trialIds: ["t"]);
        store.FinishTrial("t", store.BeginAttempt("t", "h"),
            WithStats(Samples.Estimate("validation", -90, -92), 2, [3.5, 0.25], 87.5), Samples.Estimate("test", -92, -93), 5);

        var row = store.QueryReadOnly("SELECT active_units, rate, distortion, gap FROM latent_results WHERE split = 'validation'");
        Assert.Equal(new object?[] { 2L, 3.75, 87.5, 3.0 }, Assert.Single(row.Rows));
        var dims = store.QueryReadOnly("SELECT dim, kl FROM latent_dimensions WHERE trial_id = 't' AND split = 'validation' ORDER BY dim");
        Assert.Equal([[0L, 3.5], [1L, 0.25]], dims.Rows.Select(r => r.ToArray()));
        // The test estimate came without statistics: its row is there, its statistics empty.
        Assert.Equal(new object?[] { null }, Assert.Single(store.QueryReadOnly("SELECT active_units FROM latent_results WHERE split = 'test'").Rows));
    }

    [Fact]
    public void A_later_attempts_statistics_replace_the_earlier_ones_whole()
    {
        using var db = new TempDatabase();
        using var store = Samples.StoreWithSweep(db.Path, trialIds: ["p"]);
        var first = store.BeginAttempt("p", "h");
        store.RecordEpoch("p", first, Samples.Epoch(1));
        store.PauseTrial("p", first, 1);
        store.RecordDecision("s", new RungDecision("p", 1, "asha", "val_elbo", -100, -90, 3, RungVerdict.Prune), keepCheckpoint: true);
        var evaluation = store.BeginEvaluation("p", "h");
        Assert.True(store.FinishPruned("p", evaluation,
            WithStats(Samples.Estimate("validation", -90, -91), 3, [1, 2, 3], 80), Samples.Estimate("test", -92, -93)));
        // A re-delivery of the result with other statistics (as a later engine would send) replaces them.
        Assert.True(store.FinishPruned("p", evaluation,
            WithStats(Samples.Estimate("validation", -90, -91), 1, [4, 5], 81), Samples.Estimate("test", -92, -93)));

        var latent = store.GetEvaluation("p", Split.Validation)!.Estimate.Latent!;
        Assert.Equal([4.0, 5.0], latent.KlPerDimension);
        Assert.Equal(1, latent.ActiveUnits);
    }

    [Fact]
    public void Estimates_stored_before_schema_8_read_without_statistics()
    {
        using var db = new TempDatabase();
        using (var c = new SqliteConnection($"Data Source={db.Path}"))
        {
            c.Open();
            SchemaMigrations.Migrate(c, db.Path, "2024-01-01T00:00:00.000Z", target: 5);
            c.Execute("INSERT INTO sweeps (name, spec_text, spec_sha256, created_at) VALUES ('old', 'x', 'abc', '2024-01-01T00:00:00.000Z')");
            c.Execute("""
                INSERT INTO trials (trial_id, sweep_id, ordinal, status, latent, sigma, beta, lr, hidden, activation, likelihood,
                                    epochs, batch_size, seed, config_json, created_at)
                VALUES ('t1', 1, 0, 'finished', 20, 0.1, 1, 0.001, '400', 'relu', 'gaussian', 10, 128, 1, '{}', '2024-01-01T00:00:00.000Z')
                """);
            c.Execute("INSERT INTO sweep_trials (sweep_id, trial_id, ordinal) VALUES (1, 't1', 0)");
            c.Execute("INSERT INTO evaluations (trial_id, split, attempt, k, n, mean, se, mean_elbo, per_example) VALUES ('t1', 'validation', 1, 10, 0, -90, 0, -95, NULL)");
        }

        using var store = ResultsStore.Open(db.Path);
        var estimate = store.GetEvaluation("t1", Split.Validation)!.Estimate;
        Assert.Equal(-90, estimate.Mean);
        Assert.Null(estimate.Latent);
        Assert.Null(store.ResultsOf("old").Single().Validation!.Latent);
    }

    [Fact]
    public void Mismatched_statistics_are_refused_and_nothing_is_written()
    {
        using var db = new TempDatabase();
        using var store = Samples.StoreWithSweep(db.Path, trialIds: ["t"]);
        var attempt = store.BeginAttempt("t", "h");
        var bad = Samples.Estimate("validation", -90, -91) with { Latent = new LatentStatistics(0.01, 1, [1, 2], [1], 1, 80) };
        var e = Assert.Throws<ArgumentException>(() => store.FinishTrial("t", attempt, bad, Samples.Estimate("test", -92, -93), 5));
        Assert.Contains("latent statistics have 2 activities but 1 KL values", e.Message);
        Assert.Null(store.GetEvaluation("t", Split.Validation));
    }
}
