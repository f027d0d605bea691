using VaeSweep.Client.Report;
using VaeSweep.Client.Store;
using VaeSweep.Client.Tests.Fixtures;

namespace VaeSweep.Client.Tests.Report;

/// <summary>
/// One real tiny sweep (latent × lr gridded, 3 epochs, on synthetic 6×6 IDX files), run once for the tests that
/// read it; tests that change the database work on <see cref="CopyDatabase"/>.
/// </summary>
public sealed class ReportSweep : IDisposable
{
    public const string Name = "tiny";
    private readonly TempDirectory _dir = new();

    public ReportSweep()
    {
        Spec = TinySweep.Write(_dir, latent: "[2, 3]", lr: "[0.003, 0.01]");
        DataPath = _dir.File("data");
        DbPath = _dir.File("r.db");
        var run = CliRun.InvokeAsync(_dir.Path, "run", Spec, "--db", DbPath).GetAwaiter().GetResult();
        if (run.ExitCode != 0) throw new InvalidOperationException($"the fixture sweep did not run: {run}");
    }

    public string Spec { get; }
    public string DataPath { get; }
    public string DbPath { get; }

    /// <summary>A copy of the finished sweep's database at <paramref name="path"/>.</summary>
    public string CopyDatabase(string path)
    {
        File.Copy(DbPath, path);
        return path;
    }

    public static SweepReport Build(string dbPath, ReportOptions? options = null)
    {
        using var store = ResultsStore.Open(dbPath, readOnly: true);
        return ReportBuilder.Build(store, Name, options ?? new ReportOptions(), TimeProvider.System);
    }

    public void Dispose() => _dir.Dispose();
}
