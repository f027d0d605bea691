using System.Text.Json;
using VaeSweep.Client.Store;
using VaeSweep.Client.Tests.Fixtures;
using VaeSweep.Client.Tests.Store;
using VaeSweep.Model;
using VaeSweep.Model.Evaluation;

namespace VaeSweep.Client.Tests.Commands;

/// <summary><c>top --pareto</c>, <c>top --objective</c>, the sweep's stored objective and <c>show</c>'s statistics, on a hand-made database.</summary>
public sealed class AnalysisCommandTests
{
    private const string Spec = "name: s\nsweep: { objective: [heldout_ll, active_units >= 3] }\n";

    /// <summary>Three finished trials: a collapsed one (best LL, 2 units), a low-distortion one, and one dominated on rate–distortion.</summary>
    private static string Database(TempDirectory dir)
    {
        var path = dir.File("a.db");
        using var store = ResultsStore.Open(path);
        store.CreateSweep("s", Spec);
        string[] ids = ["collapsed", "detailed", "dominated"];
        store.AddTrials("s", ids.Select((id, i) => Samples.Trial(id, i, beta: 4 - i)));
        (double Ll, int Units, double Rate, double Distortion)[] figures = [(-90, 2, 5, 85), (-95, 8, 20, 75), (-99, 6, 21, 86)];
        for (var i = 0; i < ids.Length; i++)
        {
            var (ll, units, rate, distortion) = figures[i];
            var validation = Samples.Estimate("validation", ll - 1, ll + 1) with
            {
                Latent = new LatentStatistics(0.01, units, [0.5, 0.001], [rate * 0.75, rate * 0.25], rate, distortion),
            };
            var attempt = store.BeginAttempt(ids[i], "h");
            store.RecordEpoch(ids[i], attempt, Samples.Epoch(1));
            store.FinishTrial(ids[i], attempt, validation, Samples.Estimate("test", ll, ll), 5);
        }
        return path;
    }

    private static List<string> Trials(CliRun run)
    {
        Assert.True(run.ExitCode == 0, run.ToString());
        using var doc = JsonDocument.Parse(run.Out);
        return [.. doc.RootElement.EnumerateArray().Select(r => r.GetProperty("trial").GetString()!)];
    }

    [Fact]
    public async Task Top_ranks_by_the_sweeps_stored_objective_and_by_one_given_on_the_command_line()
    {
        using var dir = new TempDirectory();
        var db = Database(dir);
        Assert.Equal(["detailed", "dominated", "collapsed"], Trials(await CliRun.InvokeAsync(dir.Path, "top", "--db", db, "--format", "json")));
        Assert.Equal(["collapsed", "detailed", "dominated"],
            Trials(await CliRun.InvokeAsync(dir.Path, "top", "--db", db, "--format", "json", "--objective", "rate")));

        var bad = await CliRun.InvokeAsync(dir.Path, "top", "--db", db, "--objective", "rate; speed > 1");
        Assert.Equal(ExitCodes.Usage, bad.ExitCode);
        Assert.Contains("--objective: unknown metric 'speed'", bad.Err);
    }

    [Fact]
    public async Task Top_pareto_lists_the_rate_distortion_front_or_that_of_two_named_metrics()
    {
        using var dir = new TempDirectory();
        var db = Database(dir);
        Assert.Equal(["detailed", "collapsed"], Trials(await CliRun.InvokeAsync(dir.Path, "top", "--db", db, "--format", "json", "--pareto")));
        Assert.Equal(["detailed", "dominated"],
            Trials(await CliRun.InvokeAsync(dir.Path, "top", "--db", db, "--format", "json", "--pareto", "rate:max,distortion")));
        Assert.Equal(["collapsed"],
            Trials(await CliRun.InvokeAsync(dir.Path, "top", "--db", db, "--format", "json", "--pareto", "heldout_ll,rate")));

        var csv = await CliRun.InvokeAsync(dir.Path, "top", "--db", db, "--format", "csv");
        Assert.Contains("active_units,rate,distortion,ll_elbo_gap,objective,feasible,pareto", csv.Out);

        var bad = await CliRun.InvokeAsync(dir.Path, "top", "--db", db, "--pareto", "rate");
        Assert.Equal(ExitCodes.Usage, bad.ExitCode);
        Assert.Contains("--pareto: expected two metrics as METRIC,METRIC", bad.Err);
        Assert.DoesNotContain("   at ", bad.Err);
    }

    [Fact]
    public async Task Show_prints_the_statistics_of_each_estimate()
    {
        using var dir = new TempDirectory();
        var db = Database(dir);
        var show = await CliRun.InvokeAsync(dir.Path, "show", "detailed", "--db", db);
        Assert.True(show.ExitCode == 0, show.ToString());
        Assert.Contains("active units 8 of 2 (Cov_x E[z_u|x] > 0.01); rate 20.000, distortion 75.000, log p(x) − ELBO 3.000", show.Out);
        Assert.Contains("KL per unit 15.00 5.00", show.Out);
    }
}
