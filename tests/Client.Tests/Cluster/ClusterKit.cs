using System.Diagnostics;
using System.Globalization;
using VaeSweep.Client.Tests.Fixtures;
using VaeSweep.Silo;
using Xunit.Abstractions;

namespace VaeSweep.Client.Tests.Cluster;

/// <summary>
/// One test's cluster of real processes: a private Redis for the membership, a cluster name of its own, silos
/// on free loopback ports, a temp directory for data, specs and databases, and helpers to start silos and
/// clients. Disposing kills every process still running (Redis too), prints their output to the test log,
/// and deletes the directory.
/// </summary>
internal sealed class ClusterKit : IAsyncDisposable
{
    /// <summary>Generous bound on any single wait: a hang fails the test instead of stalling the run; never a timing assertion.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(150);

    private readonly ITestOutputHelper output;
    private readonly List<VaesweepProcess> processes = [];
    private readonly List<SweepDb> databases = [];
    private readonly Stopwatch clock = Stopwatch.StartNew();

    private ClusterKit(ITestOutputHelper output, RedisServer redis, TempDirectory dir)
    {
        this.output = output;
        Redis = redis;
        Dir = dir;
        Cluster = $"redis://127.0.0.1:{redis.Port}/t{Guid.NewGuid().ToString("N")[..8]}";
    }

    public TempDirectory Dir { get; }

    public RedisServer Redis { get; }

    /// <summary>This test's --cluster value.</summary>
    public string Cluster { get; }

    public static async Task<ClusterKit> CreateAsync(ITestOutputHelper output)
    {
        var dir = new TempDirectory();
        return new ClusterKit(output, await RedisServer.StartAsync(dir.File("redis")), dir);
    }

    /// <summary>
    /// Synthetic data and a <see cref="TinySweep"/> spec in the temp directory. An epoch over 3000 training images
    /// takes a few hundredths of a second here, over 20000 a few tenths: enough for a test to act mid-trial.
    /// </summary>
    public string WriteSpec(string sweep, int epochs, string latent, int trainImages = 3000)
        => TinySweep.Write(Dir, name: sweep, epochs: epochs, latent: latent, trainImages: trainImages);

    /// <summary>A results database in the temp directory, described in the test log at the end.</summary>
    public SweepDb Database(string file)
    {
        var db = new SweepDb(Dir.File(file));
        databases.Add(db);
        return db;
    }

    /// <summary>Starts <c>vaesweep silo</c> on free loopback ports and waits until it has joined the cluster.</summary>
    public async Task<VaesweepProcess> StartSiloAsync(string name, int slots = 1, params string[] extra)
    {
        var silo = Start(name, ["silo", "--cluster", Cluster, "--slots", slots.ToString(CultureInfo.InvariantCulture), "--name", name,
            "--address", "127.0.0.1", "--port", Port(), "--gateway-port", Port(), .. extra]);
        await silo.WaitForOutputAsync("joined", Patience);
        return silo;
    }

    /// <summary>Starts <c>vaesweep run SPEC --db DB --cluster URI</c> (plus <paramref name="extra"/>) without waiting.</summary>
    public VaesweepProcess StartRun(string name, string spec, string db, params string[] extra)
        => Start(name, ["run", spec, "--db", db, "--cluster", Cluster, .. extra]);

    /// <summary>Any vaesweep verb; nothing from the developer's shell may point it at another cluster.</summary>
    public VaesweepProcess Start(string name, params string[] args)
    {
        var environment = new Dictionary<string, string?> { ["VAESWEEP_CLUSTER"] = null };
        var process = VaesweepProcess.Start(name, Dir.Path, environment, clock, args);
        lock (processes) processes.Add(process);
        return process;
    }

    public static string Port() => NextPort().ToString(CultureInfo.InvariantCulture);

    private static readonly HashSet<int> HandedOut = [];

    /// <summary>
    /// A free loopback port never handed out before in this test run. <see cref="FreePorts.Next"/> alone may give
    /// the same port twice in a row (the kernel reuses a just-closed one), and a silo given one port for both its
    /// silo and gateway endpoints cannot start.
    /// </summary>
    public static int NextPort()
    {
        lock (HandedOut)
        {
            while (true)
            {
                var port = FreePorts.Next();
                if (HandedOut.Add(port)) return port;
            }
        }
    }

    /// <summary>Waits for <paramref name="condition"/>, failing early (with every output) if one of <paramref name="mustLive"/> exits.</summary>
    public async Task WaitUntilAsync(string what, Func<bool> condition, SweepDb db, params VaesweepProcess[] mustLive)
    {
        var until = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (mustLive.FirstOrDefault(p => p.HasExited) is { } dead)
                throw new InvalidOperationException($"{dead.Name} exited while waiting for {what}\n{db.Describe()}\n{Outputs()}");
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"not within {Patience.TotalSeconds:0} s: {what}\n{db.Describe()}\n{Outputs()}");
            await Task.Delay(100);
        }

        output.WriteLine($"[test {clock.Elapsed.TotalSeconds,6:0.0}s] {what}");
    }

    /// <summary>Every process's output so far, for assertion messages.</summary>
    public string Outputs()
    {
        lock (processes) return string.Join("\n", processes.Select(p => p.Output));
    }

    public async ValueTask DisposeAsync()
    {
        VaesweepProcess[] all;
        lock (processes) all = [.. processes];
        foreach (var process in all) process.Dispose();
        foreach (var process in all) output.WriteLine(process.Output);
        foreach (var db in databases) output.WriteLine($"{System.IO.Path.GetFileName(db.Path)}: trial|status|attempts|host|error|attempt:epochs\n{db.Describe()}");
        Redis.Dispose();
        Dir.Dispose();
        await Task.CompletedTask;
    }
}
