using System.Diagnostics;
using VaeSweep.Client.Tests.Cluster;
using VaeSweep.Client.Tests.Fixtures;
using Xunit.Abstractions;

namespace VaeSweep.Client.Tests.Commands;

/// <summary>The results database on a full filesystem (issue 18.4): a real 3 MB tmpfs, a real `vaesweep run` process.</summary>
[Collection(ClusterCollection.Name)]
public sealed class DiskFullTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_run_on_a_full_disk_says_so_in_one_paragraph_keeps_the_database_intact_and_finishes_once_space_is_freed()
    {
        using var dir = new TempDirectory();
        var mount = dir.File("small");
        Directory.CreateDirectory(mount);
        if (await ShellCommand.RunAsync("mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", mount) is { } refusal)
        {
            output.WriteLine($"SKIPPED: cannot mount a 3 MB tmpfs here ({refusal}); the disk-full case needs one");
            return;
        }

        try
        {
            // The data lives outside the small filesystem; only the database is on it.
            // Two trials: their epochs, checkpoints and the WAL fit in 3 MB, not in the 400 KB the filler leaves.
            var spec = TinySweep.Write(dir, name: "full", epochs: 30, latent: "[2, 3]", trainImages: 2000);
            var db = Path.Combine(mount, "results.db");
            var filler = Path.Combine(mount, "filler");
            await File.WriteAllBytesAsync(filler, new byte[3 * 1024 * 1024 - 400 * 1024]);
            var clock = Stopwatch.StartNew();

            var first = VaesweepProcess.Start("full", dir.Path, new Dictionary<string, string?> { ["VAESWEEP_CLUSTER"] = null }, clock,
                "run", spec, "--db", db, "--slots", "1");
            var code = await first.WaitForExitAsync(ClusterKit.Patience);
            output.WriteLine(first.Output);

            Assert.True(code == ExitCodes.DiskFull, first.Output);
            var lines = first.Printed.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var message = Assert.Single(lines, l => l.StartsWith("vaesweep:", StringComparison.Ordinal));
            Assert.Contains(db, message);
            Assert.Contains("no space left", message);
            Assert.DoesNotContain("   at ", first.Printed);
            Assert.DoesNotContain("Exception", first.Printed);
            if (File.Exists(db)) Assert.Equal("ok", new SweepDb(db).Text("PRAGMA integrity_check"));

            File.Delete(filler);
            var second = VaesweepProcess.Start("again", dir.Path, new Dictionary<string, string?> { ["VAESWEEP_CLUSTER"] = null }, clock,
                "run", spec, "--db", db, "--slots", "1");
            var again = await second.WaitForExitAsync(ClusterKit.Patience);
            output.WriteLine(second.Output);

            Assert.True(again == ExitCodes.Ok, second.Output);
            var stored = new SweepDb(db);
            Assert.Equal("ok", stored.Text("PRAGMA integrity_check"));
            Assert.Equal(2L, stored.Scalar("SELECT count(*) FROM trials WHERE status = 'finished'"));
            Assert.Equal(2L * 30, stored.Scalar("SELECT count(*) FROM epochs"));
        }
        finally
        {
            await ShellCommand.RunAsync("umount", "-l", mount);
        }
    }
}
