using VaeSweep.Client.Report;
using VaeSweep.Client.Tests.Fixtures;

namespace VaeSweep.Client.Tests.Report;

public sealed class AnalysisSectionTests(ReportSweep sweep) : IClassFixture<ReportSweep>
{
    [Fact]
    public void Main_effects_of_an_additive_function_on_a_complete_grid_are_its_variance_shares()
    {
        // y = a_i + b_j with a = (−1, 1) (variance 1) and b = (0, 0, 3) (variance 2): shares 1/3 and 2/3, no interaction.
        int[] first = [0, 0, 0, 1, 1, 1], second = [0, 1, 2, 0, 1, 2];
        double[] a = [-1, 1], b = [0, 0, 3];
        var y = first.Zip(second, (i, j) => a[i] + b[j]).ToArray();
        var (fractions, note) = ParameterImportance.MainEffects([first, second], [2, 3], y);
        Assert.Null(note);
        Assert.Equal(1.0 / 3, fractions![0], 12);
        Assert.Equal(2.0 / 3, fractions[1], 12);

        // A pure interaction (y = ±1 as a checkerboard) has no main effects.
        var (xor, _) = ParameterImportance.MainEffects([[0, 0, 1, 1], [0, 1, 0, 1]], [2, 2], [1, -1, -1, 1]);
        Assert.Equal([0.0, 0.0], xor!);
    }

    [Fact]
    public void Designs_it_cannot_decompose_say_why()
    {
        Assert.StartsWith("3 of the 4 combinations", ParameterImportance.MainEffects([[0, 0, 1], [0, 1, 0]], [2, 2], [1, 2, 3]).Note);
        Assert.StartsWith("one swept parameter", ParameterImportance.MainEffects([[0, 1]], [2], [1, 2]).Note);
        Assert.StartsWith("every combination gives the same", ParameterImportance.MainEffects([[0, 0, 1, 1], [0, 1, 0, 1]], [2, 2], [1, 1, 1, 1]).Note);
    }

    [Fact]
    public void The_tiny_sweep_has_every_section_and_its_statistics()
    {
        var report = ReportSweep.Build(sweep.DbPath);
        var a = report.Analysis!;
        Assert.Equal(4, a.RatePoints.Count);
        Assert.Contains(a.RatePoints, p => p.OnFront);
        Assert.All(a.RatePoints, p => Assert.True(p.Rate > 0 && p.Distortion > -1e6));
        Assert.Equal(3, a.Units.Count);
        Assert.All(a.Units, u => Assert.InRange(u.Active.Count(x => x), 0, u.Kl.Length));
        Assert.Null(a.LinesNote);
        Assert.Equal(["latent", "lr"], a.Importance.Select(i => i.Parameter));
        Assert.InRange(a.Importance.Sum(i => i.Fraction), 0, 1 + 1e-9);
    }

    [Fact]
    public void Importance_explains_the_sweeps_objective_when_it_names_another_metric()
    {
        using var dir = new TempDirectory();
        var db = sweep.CopyDatabase(dir.File("objective.db"));
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={db};Pooling=False"))
        {
            connection.Open();
            using var update = connection.CreateCommand();
            update.CommandText = "UPDATE sweeps SET spec_text = replace(spec_text, '  strategy: grid', '  strategy: grid' || char(10) || '  objective: rate')";
            Assert.Equal(1, update.ExecuteNonQuery());
        }
        var report = ReportSweep.Build(db);
        var a = report.Analysis!;
        Assert.Equal("rate", a.ImportanceOf);
        Assert.Equal(ImportanceMethod.ExactGrid, a.ImportanceMethod);

        // The oracle: the grid decomposition of each trial's stored rate.
        var axes = report.Swept.Where(p => p.Levels.Count > 1).ToList();
        var trials = a.RatePoints.Select(p => p.Trial).ToList();
        var (expected, _) = ParameterImportance.MainEffects(
            [.. axes.Select(p => trials.Select(t => p.IndexOf(p.Values[t])).ToArray())], [.. axes.Select(p => p.Levels.Count)],
            [.. a.RatePoints.Select(p => p.Rate)]);
        Assert.Equal(axes.Select(p => p.Name), a.Importance.Select(i => i.Parameter));
        for (var i = 0; i < axes.Count; i++) Assert.Equal(expected![i], a.Importance[i].Fraction, 12);
        Assert.Contains("importance for rate", HtmlReport.Render(report));
    }

    [Fact]
    public async Task A_sweep_of_one_trial_says_which_sections_cannot_be_computed()
    {
        using var dir = new TempDirectory();
        var db = dir.File("one.db");
        var spec = TinySweep.Write(dir, latent: "[2]");
        Assert.Equal(0, (await CliRun.InvokeAsync(dir.Path, "run", spec, "--db", db)).ExitCode);
        var page = dir.File("one.html");
        var run = await CliRun.InvokeAsync(dir.Path, "report", "--db", db, "-o", page, "tiny");
        Assert.True(run.ExitCode == 0, run.ToString());
        var html = File.ReadAllText(page);
        Assert.Contains("id=\"plot-rate-distortion\"", html);   // one trial still sits in the plane
        Assert.Contains("Parallel coordinates need at least two swept parameters; this sweep varies 0.", html);
        Assert.DoesNotContain("id=\"plot-coordinates\"", html);
        Assert.DoesNotContain("id=\"plot-importance\"", html);
        Assert.Contains("Importance needs at least two swept parameters; this sweep varies 0.", html);
    }
}
