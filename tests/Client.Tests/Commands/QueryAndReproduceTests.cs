using Microsoft.Data.Sqlite;
using VaeSweep.Client.Tests.Fixtures;

namespace VaeSweep.Client.Tests.Commands;

public sealed class QueryAndReproduceTests
{
    [Fact]
    public async Task Query_refuses_writes_and_the_data_survives()
    {
        using var dir = new TempDirectory();
        var dbPath = dir.File("r.db");
        Assert.Equal(0, (await CliRun.InvokeAsync(dir.Path, "run", TinySweep.Write(dir, latent: "[2]"), "--db", dbPath)).ExitCode);

        var delete = await CliRun.InvokeAsync(dir.Path, "query", "--db", dbPath, "DELETE FROM trials");
        var count = await CliRun.InvokeAsync(dir.Path, "query", "--db", dbPath, "SELECT count(*) AS n FROM trials", "--format", "json");

        Assert.Equal(ExitCodes.Database, delete.ExitCode);
        Assert.Contains("read-only", delete.Err);
        Assert.Equal(0, count.ExitCode);
        Assert.Contains("\"n\": 1", count.Out);
    }

    [Fact]
    public async Task Reproduce_matches_a_stored_trial_bit_for_bit_and_catches_a_changed_metric()
    {
        using var dir = new TempDirectory();
        var dbPath = dir.File("r.db");
        Assert.Equal(0, (await CliRun.InvokeAsync(dir.Path, "run", TinySweep.Write(dir, latent: "[2]"), "--db", dbPath, "--slots", "2")).ExitCode);
        string trial;
        using (var db = RunCommandTests.Open(dbPath))
        using (var cmd = db.CreateCommand())
        {
            cmd.CommandText = "SELECT trial_id FROM trials";
            trial = (string)cmd.ExecuteScalar()!;
        }

        var same = await CliRun.InvokeAsync(dir.Path, "reproduce", trial[..10], "--db", dbPath);
        Assert.True(same.ExitCode == 0, same.ToString());
        Assert.Contains("bit for bit", same.Out);

        // Nudge one stored value by one ulp: reproduce must notice.
        using (var db = new SqliteConnection($"Data Source={dbPath};Pooling=False"))
        {
            db.Open();
            using var cmd = db.CreateCommand();
            cmd.CommandText = "SELECT valid_elbo FROM epochs WHERE epoch = 2";
            var v = (double)cmd.ExecuteScalar()!;
            cmd.CommandText = "UPDATE epochs SET valid_elbo = $v WHERE epoch = 2";
            cmd.Parameters.AddWithValue("$v", Math.BitIncrement(v));
            cmd.ExecuteNonQuery();
        }

        var changed = await CliRun.InvokeAsync(dir.Path, "reproduce", trial, "--db", dbPath);
        Assert.Equal(ExitCodes.NotReproduced, changed.ExitCode);
        Assert.Contains("epoch 2 valid_elbo", changed.Out);
        Assert.DoesNotContain("stored by", changed.Err);   // same engine: the difference is real

        // Stored by another build: the mismatch is reported, and so is the likely reason.
        RawSql.Execute(dbPath, "UPDATE trials SET engine = 'numerics 1, avx2'");

        var elsewhere = await CliRun.InvokeAsync(dir.Path, "reproduce", trial, "--db", dbPath);
        Assert.Equal(ExitCodes.NotReproduced, elsewhere.ExitCode);
        Assert.Contains($"stored by numerics 1, avx2, re-run by {Model.EngineInfo.Descriptor}", elsewhere.Err);
    }

    [Fact]
    public async Task Show_and_status_describe_the_stored_trial()
    {
        using var dir = new TempDirectory();
        var dbPath = dir.File("r.db");
        Assert.Equal(0, (await CliRun.InvokeAsync(dir.Path, "run", TinySweep.Write(dir, latent: "[2]"), "--db", dbPath)).ExitCode);
        var id = (await CliRun.InvokeAsync(dir.Path, "query", "--db", dbPath, "SELECT trial_id FROM trials", "--format", "csv")).Out.Split('\n')[1].Trim();

        var show = await CliRun.InvokeAsync(dir.Path, "show", id[..8], "--db", dbPath);
        var status = await CliRun.InvokeAsync(dir.Path, "status", "--db", dbPath);

        Assert.Equal(0, show.ExitCode);
        Assert.Contains(id, show.Out);
        Assert.Contains("status    finished after 1 attempt(s), 1 started, last on ", show.Out);
        Assert.Contains($"engine    {Model.EngineInfo.Descriptor}", show.Out);
        Assert.Matches(@"validation\s+log p\(x\) ≈ -?\d", show.Out);
        Assert.Equal(0, status.ExitCode);
        Assert.Contains("sweep tiny", status.Out);
        Assert.Contains("1 finished", status.Out);
    }
}
