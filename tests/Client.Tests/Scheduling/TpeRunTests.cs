using Microsoft.Data.Sqlite;
using VaeSweep.Client.Tests.Commands;
using VaeSweep.Client.Tests.Fixtures;

namespace VaeSweep.Client.Tests.Scheduling;

/// <summary>
/// A tpe sweep end to end on the embedded silo: the same spec proposes the same trials, in the same order, with the
/// same results bit for bit, on one slot, on two, and across an interruption; a re-run repeats nothing.
/// </summary>
public sealed class TpeRunTests
{
    private static string Spec(string data) => $$"""
        name: adaptive
        dataset: { name: blobs, path: {{data}}, validation: 40 }
        model: { hidden: [16], activation: relu, likelihood: gaussian }
        train: { epochs: 2, batch_size: 32, seed: 1 }
        eval: { importance_samples: 20, examples: 20 }
        sweep:
          strategy: tpe
          trials: 9
          startup_trials: 3
          lag: 2
          seed: 5
          parameters:
            latent: { int_uniform: [2, 6] }
            sigma: { uniform: [0.2, 0.6] }
            lr: { log_uniform: [0.001, 0.03] }
        """;

    private static (string Spec, string Data) Write(TempDirectory dir)
    {
        var data = IdxFiles.Write(dir.File("data"), train: 240);
        var spec = dir.File("adaptive.yaml");
        File.WriteAllText(spec, Spec(data));
        return (spec, data);
    }

    /// <summary>The sweep's trials in order with their stored validation estimate, exactly as stored.</summary>
    private static List<(long Ordinal, string Trial, string Status, double? Mean)> Trials(string dbPath)
    {
        using var db = RunCommandTests.Open(dbPath);
        using var cmd = db.CreateCommand();
        cmd.CommandText = """
            SELECT st.ordinal, t.trial_id, t.status, e.mean FROM sweep_trials st JOIN trials t USING (trial_id)
            LEFT JOIN evaluations e ON e.trial_id = t.trial_id AND e.split = 'validation'
            ORDER BY st.ordinal
            """;
        using var r = cmd.ExecuteReader();
        var rows = new List<(long, string, string, double?)>();
        while (r.Read()) rows.Add((r.GetInt64(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetDouble(3)));
        return rows;
    }

    [Fact]
    public async Task The_same_spec_proposes_the_same_trials_on_one_slot_on_two_and_across_an_interruption()
    {
        using var dir = new TempDirectory();
        var (spec, _) = Write(dir);
        var one = dir.File("one.db");
        var two = dir.File("two.db");

        var sequential = await CliRun.InvokeAsync(dir.Path, "run", spec, "--db", one, "--slots", "1");
        Assert.True(sequential.ExitCode == 0, sequential.ToString());
        Assert.Contains("adaptive: 9 trials", sequential.Out);
        var reference = Trials(one);
        Assert.Equal(9, reference.Count);
        Assert.Equal(Enumerable.Range(0, 9).Select(i => (long)i), reference.Select(t => t.Ordinal));
        Assert.All(reference, t => Assert.Equal("finished", t.Status));
        Assert.Equal(9, reference.Select(t => t.Trial).Distinct().Count());

        // Two slots, stopped once a proposal made from results has been stored, then run again to the end.
        using (var cts = new CancellationTokenSource())
        {
            var first = CliRun.InvokeAsync(dir.Path, cts.Token, "run", spec, "--db", two, "--slots", "2");
            await WaitUntil(() => File.Exists(two) && StoredTrials(two) >= 5, first);
            await cts.CancelAsync();
            var interrupted = await first;
            Assert.True(interrupted.ExitCode == ExitCodes.Interrupted, interrupted.ToString());
        }
        var resumed = await CliRun.InvokeAsync(dir.Path, "run", spec, "--db", two, "--slots", "2");
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Equal(reference, Trials(two));

        // A re-run repeats nothing.
        var epochs = EpochRows(two);
        var again = await CliRun.InvokeAsync(dir.Path, "run", spec, "--db", two);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("9 already ended", again.Out);
        Assert.Equal(reference, Trials(two));
        Assert.Equal(epochs, EpochRows(two));
    }

    private static long StoredTrials(string dbPath)
    {
        try
        {
            using var db = RunCommandTests.Open(dbPath);
            return RunCommandTests.Scalar(db, "SELECT count(*) FROM sweep_trials");
        }
        catch (SqliteException)
        {
            return 0; // not created yet
        }
    }

    private static long EpochRows(string dbPath)
    {
        using var db = RunCommandTests.Open(dbPath);
        return RunCommandTests.Scalar(db, "SELECT count(*) FROM epochs");
    }

    /// <summary>Polls until <paramref name="condition"/> holds; fails if the run ends first, so it cannot pass vacuously.</summary>
    private static async Task WaitUntil(Func<bool> condition, Task<CliRun> run)
    {
        while (!condition())
        {
            if (run.IsCompleted) Assert.Fail($"the run ended before the condition held: {await run}");
            await Task.Delay(20);
        }
    }
}
