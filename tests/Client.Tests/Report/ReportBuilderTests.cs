using System.Security.Cryptography;
using System.Text.Json;
using VaeSweep.Client.Report;
using VaeSweep.Client.Tests.Fixtures;
using VaeSweep.Model.Data;

namespace VaeSweep.Client.Tests.Report;

public sealed class ReportBuilderTests(ReportSweep sweep) : IClassFixture<ReportSweep>
{
    [Fact]
    public async Task The_ranking_has_tops_numbers_in_tops_order()
    {
        var top = await CliRun.InvokeAsync(Path.GetDirectoryName(sweep.DbPath)!, "top", "--db", sweep.DbPath, "--sweep", ReportSweep.Name, "--format", "json");
        Assert.Equal(0, top.ExitCode);
        var rows = JsonDocument.Parse(top.Out).RootElement.EnumerateArray().ToList();

        var report = ReportSweep.Build(sweep.DbPath);

        Assert.Equal(4, report.Ranking.Count);
        Assert.Equal(rows.Select(r => r.GetProperty("trial").GetString()), report.Ranking.Select(r => r.Trial));
        Assert.Equal(rows.Select(r => r.GetProperty("heldout_ll").GetDouble()), report.Ranking.Select(r => r.HeldoutLl!.Value));
        Assert.Equal(rows.Select(r => r.GetProperty("diff_se").GetDouble()), report.Ranking.Select(r => r.DiffSe!.Value));
        Assert.Equal(report.Ranking.Take(3).Select(r => r.Trial), report.Highlighted);
    }

    [Fact]
    public void Every_trial_has_its_curve_and_the_swept_parameters_are_found_with_their_grid()
    {
        var report = ReportSweep.Build(sweep.DbPath);

        Assert.All(report.Curves.Values, c => Assert.Equal([1, 2, 3], c.Select(e => e.Epoch)));
        Assert.Equal(["latent", "lr"], report.Swept.Select(p => p.Name));
        Assert.Equal(["0.003", "0.01"], report.Swept[1].Levels.Select(l => l.Text));
        var effect = report.Effects[0];
        Assert.Equal(4, effect.Points.Count);
        Assert.All(effect.Points, p => Assert.Equal(report.Ranking.Single(r => r.Trial == p.TrialId).HeldoutLl, p.Ll));

        var grid = Assert.Single(report.HeatMaps);
        Assert.Equal(("latent", "lr"), (grid.X.Name, grid.Y.Name));
        foreach (var r in report.Ranking)
        {
            var (x, y) = (grid.X.IndexOf(grid.X.Values[r.Trial]), grid.Y.IndexOf(grid.Y.Values[r.Trial]));
            Assert.Equal(r.HeldoutLl!.Value, grid.Best[y, x]);  // one trial per cell here
        }
        Assert.Equal(report.Ranking.Sum(r => r.Seconds!.Value), report.Timings.TrialSeconds, 1e-9);
    }

    [Fact]
    public void The_best_trials_images_come_from_the_test_file_and_their_decoder()
    {
        var report = ReportSweep.Build(sweep.DbPath, new ReportOptions { Images = 9 });
        var (_, test) = IdxDataset.Load(sweep.DataPath);

        Assert.Equal(3, report.Visuals.Count);
        foreach (var v in report.Visuals)
        {
            Assert.True(v.HasImages, v.Note);
            Assert.Equal((9, 6, 6, 3), (v.Count, v.ImageRows, v.ImageColumns, v.WeightsEpoch!.Value));
            // Gaussian likelihood, no binarisation: the model sees grey levels byte / 255.
            for (var i = 0; i < 9 * 36; i++) Assert.Equal(test.Pixels.Span[i] / 255f, v.Images![i], 1e-6f);
            Assert.All(v.Reconstructions!, p => Assert.InRange(p, 0f, 1f));
            Assert.All(v.PriorSamples!, p => Assert.InRange(p, 0f, 1f));
        }
        Assert.NotEqual(report.Visuals[0].Reconstructions, report.Visuals[1].Reconstructions);

        var scatter = report.Latent2!;
        var bestLatent2 = report.Ranking.First(r => r.Latent == 2);
        Assert.Equal((bestLatent2.Trial, bestLatent2.Rank!.Value), (scatter.TrialId, scatter.Rank));
        Assert.Equal(test.Labels.ToArray(), scatter.Labels);  // 40 test images, fewer than the 1000 asked for
        Assert.Equal(80, scatter.Means.Length);
        Assert.StartsWith("class ", scatter.ClassNames[0]);
    }

    [Fact]
    public void Failed_diverged_and_running_trials_are_reported_unranked_and_marked()
    {
        using var dir = new TempDirectory();
        var db = sweep.CopyDatabase(dir.File("r.db"));
        var ids = ReportSweep.Build(db).Ranking.Select(r => r.Trial).ToList();
        RawSql.Execute(db, $"""
            UPDATE trials SET status = 'diverged', diverged_epoch = 2, error = 'objective is NaN at epoch 2' WHERE trial_id = '{ids[0]}';
            UPDATE trials SET status = 'failed', error = 'worker lost' WHERE trial_id = '{ids[1]}';
            UPDATE trials SET status = 'running', seconds = NULL, finished_at = NULL WHERE trial_id = '{ids[2]}';
            DELETE FROM epochs WHERE trial_id = '{ids[2]}' AND epoch = 3;
            DELETE FROM evaluations WHERE trial_id IN ('{ids[0]}', '{ids[1]}', '{ids[2]}');
            DELETE FROM trial_weights WHERE trial_id IN ('{ids[0]}', '{ids[1]}', '{ids[2]}');
            """);

        var report = ReportSweep.Build(db);

        Assert.Equal([ids[3]], report.Ranking.Where(r => r.Rank is not null).Select(r => r.Trial));
        Assert.Equal("finished", report.Ranking[0].Status);   // the ranked one first, the others after it in sweep order
        var status = report.Ranking.ToDictionary(r => r.Trial, r => r.Status);
        Assert.Equal(["diverged", "failed", "running"], ids.Take(3).Select(id => status[id]));
        Assert.Equal([1, 2], report.Curves[ids[2]].Select(e => e.Epoch));
        Assert.Equal(ids[3], Assert.Single(report.Visuals).TrialId);
        var html = HtmlReport.Render(report);
        Assert.Contains($"<tr class=\"status-diverged\" data-trial=\"{ids[0]}\">", html);
        Assert.Contains("diverged at epoch 2: objective is NaN at epoch 2", html);
        Assert.Contains("failed after 1 attempt(s): worker lost", html);
        Assert.Contains("running: 2 of 3 epochs recorded", html);
    }

    [Fact]
    public void A_sweep_with_nothing_finished_yet_still_renders()
    {
        using var dir = new TempDirectory();
        var db = sweep.CopyDatabase(dir.File("r.db"));
        RawSql.Execute(db, """
            UPDATE trials SET status = 'running', seconds = NULL, finished_at = NULL;
            DELETE FROM evaluations; DELETE FROM trial_weights; DELETE FROM epochs WHERE epoch > 1;
            """);

        var report = ReportSweep.Build(db);
        var html = HtmlReport.Render(report);

        Assert.All(report.Ranking, r => Assert.Null(r.Rank));
        Assert.Empty(report.Highlighted);
        Assert.Empty(report.Visuals);
        Assert.All(report.Effects, e => Assert.Empty(e.Points));
        Assert.All(Assert.Single(report.HeatMaps).Best.Cast<double>(), v => Assert.True(double.IsNaN(v)));
        Assert.Contains("No trial has finished yet.", html);
        Assert.Contains("No latent plot: no finished trial has a two-dimensional latent space.", html);
        Assert.Contains("4 running", html);
        Assert.Contains("lr × latent: no cell has a finished trial yet.", html);

    }

    [Fact]
    public void One_finished_trial_gives_one_heat_map_cell_and_still_renders()
    {
        using var dir = new TempDirectory();
        var db = sweep.CopyDatabase(dir.File("r.db"));
        var keep = ReportSweep.Build(db).Ranking[0].Trial;
        RawSql.Execute(db, $"""
            UPDATE trials SET status = 'running', seconds = NULL, finished_at = NULL WHERE trial_id <> '{keep}';
            DELETE FROM evaluations WHERE trial_id <> '{keep}';
            """);

        var report = ReportSweep.Build(db);

        Assert.Single(Assert.Single(report.HeatMaps).Best.Cast<double>(), double.IsFinite);
        Assert.Contains("id=\"plot-heat-latent-lr\"", HtmlReport.Render(report));
    }

    [Fact]
    public void Without_the_dataset_the_image_sections_say_so_and_the_rest_reports()
    {
        using var dir = new TempDirectory();
        var db = sweep.CopyDatabase(dir.File("r.db"));
        var moved = sweep.DataPath;
        RawSql.Execute(db, $"UPDATE trials SET config_json = replace(config_json, '{moved}', '{dir.File("gone")}')");
        // The id is the hash of the config: a moved dataset is a different trial, so change only what the report reads.
        var report = ReportSweep.Build(db);

        Assert.Equal(4, report.Ranking.Count(r => r.Rank is not null));
        Assert.All(report.Visuals, v => Assert.False(v.HasImages));
        Assert.All(report.Visuals, v => Assert.Contains("is not available here", v.Note));
        Assert.Null(report.Latent2);
        Assert.Contains("is not available here", report.Latent2Note);
        Assert.Contains("No images: dataset blobs is not available here", HtmlReport.Render(report));
    }

    [Fact]
    public void Missing_weights_and_another_engines_weights_are_named()
    {
        using var dir = new TempDirectory();
        var db = sweep.CopyDatabase(dir.File("r.db"));
        var ids = ReportSweep.Build(db).Ranking.Select(r => r.Trial).ToList();
        byte[] torch = "PK\u0003\u0004torch"u8.ToArray();
        RawSql.Execute(db, $"""
            DELETE FROM trial_weights WHERE trial_id = '{ids[0]}';
            UPDATE trial_weights SET bytes = x'{Convert.ToHexString(torch)}', sha256 = '{Convert.ToHexStringLower(SHA256.HashData(torch))}' WHERE trial_id = '{ids[1]}';
            UPDATE trials SET engine = 'torch 2.5, cpu' WHERE trial_id = '{ids[1]}';
            """);

        var report = ReportSweep.Build(db);

        Assert.Contains("no final weights stored", report.Visuals[0].Note);
        Assert.Equal("no decoder for engine torch 2.5, cpu", report.Visuals[1].Note);
        Assert.True(report.Visuals[2].HasImages);
    }
}
