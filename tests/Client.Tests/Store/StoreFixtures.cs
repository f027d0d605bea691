using System.Globalization;
using VaeSweep.Client.Store;
using VaeSweep.Model;

namespace VaeSweep.Client.Tests.Store;

/// <summary>A temporary directory holding a results database, deleted afterwards.</summary>
internal sealed class TempDatabase : IDisposable
{
    public TempDatabase()
    {
        Directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "vaesweep-store-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        Path = System.IO.Path.Combine(Directory, "results.db");
    }

    public string Directory { get; }

    public string Path { get; }

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); }
        catch (IOException) { /* a leaked handle on a temp dir is not worth failing a test over */ }
    }
}

/// <summary>A clock that only moves when told, so stored timestamps are exact.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public static ManualClock At(string iso) => new(DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture));

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}

/// <summary>Small hand-made inputs.</summary>
internal static class Samples
{
    public static NewTrial Trial(string id, int ordinal = 0, double beta = 1.0, double sigma = 0.1, int latent = 20) =>
        NewTrial.From(id, ordinal, new TrialConfig { Beta = beta, Sigma = sigma, Latent = latent },
            $$"""{"id":"{{id}}","beta":{{beta}},"sigma":{{sigma}},"latent":{{latent}}}""");

    public static EpochMetrics Epoch(int epoch, double validElbo = -100) =>
        new(epoch, 110 - epoch, -110 + epoch, 20, 90 - epoch, validElbo, 21, -validElbo - 21, 1.5, 4000);

    public static LogLikelihoodEstimate Estimate(string split, params double[] perExample)
    {
        var n = perExample.Length;
        var mean = perExample.Average();
        var sd = n > 1 ? Math.Sqrt(perExample.Sum(x => (x - mean) * (x - mean)) / (n - 1)) : 0;
        return new LogLikelihoodEstimate(split, 100, n, mean, sd / Math.Sqrt(n), mean - 3, perExample);
    }

    /// <summary>A store with one sweep "s" holding the given trial ids in order.</summary>
    public static ResultsStore StoreWithSweep(string path, TimeProvider? time = null, ResultsStoreOptions? options = null, params string[] trialIds)
    {
        var store = ResultsStore.Open(path, options: options, time: time);
        store.CreateSweep("s", "spec: s\n");
        store.AddTrials("s", trialIds.Select((id, i) => Trial(id, i, beta: 1 + i)));
        return store;
    }
}
