using System.Diagnostics;
using RabbitMQ.Client;
using VaeSweep.Client.Tests.Fixtures;
using VaeSweep.Silo.Broker;
using Xunit.Abstractions;

namespace VaeSweep.Client.Tests.Cluster;

/// <summary>
/// One test's cluster of real processes on the local broker: a private queue prefix, a short lease so lost
/// silos are noticed in seconds, a temp directory for data, specs and databases, and helpers to start
/// silos and clients. Disposing kills every process still running, prints their output to the test log and
/// deletes the prefix's durable queues and exchanges.
/// </summary>
internal sealed class ClusterKit : IAsyncDisposable
{
    public const string Broker = "amqp://guest:guest@localhost:5672/";

    /// <summary>Seconds of silence before the client presumes a silo dead: short, so a test waits little for it.</summary>
    public const double LeaseSeconds = 4;

    /// <summary>Generous bound on any single wait: a hang fails the test instead of stalling the run; never a timing assertion.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(150);

    private readonly ITestOutputHelper output;
    private readonly BrokerLock brokerLock;
    private readonly List<VaesweepProcess> processes = [];
    private readonly HashSet<string> sweeps = [];
    private readonly List<SweepDb> databases = [];
    private readonly Stopwatch clock = Stopwatch.StartNew();

    private ClusterKit(ITestOutputHelper output, BrokerLock brokerLock)
    {
        this.output = output;
        this.brokerLock = brokerLock;
        Prefix = "t" + Guid.NewGuid().ToString("N")[..8];
        Topology = new Topology(Prefix);
    }

    public TempDirectory Dir { get; } = new();

    /// <summary>This test's queue and exchange prefix (VAESWEEP_BROKER_PREFIX of every process it starts).</summary>
    public string Prefix { get; }

    private Topology Topology { get; }

    public static async Task<ClusterKit> CreateAsync(ITestOutputHelper output)
        => new(output, await BrokerLock.AcquireAsync(TimeSpan.FromMinutes(10)));

    /// <summary>
    /// Synthetic data and a <see cref="TinySweep"/> spec in the temp directory. An epoch over 3000 training images
    /// takes a few hundredths of a second here, over 20000 a few tenths: enough for a test to act mid-trial.
    /// </summary>
    public string WriteSpec(string sweep, int epochs, string latent, int trainImages = 3000)
    {
        sweeps.Add(sweep);
        return TinySweep.Write(Dir, name: sweep, epochs: epochs, latent: latent, trainImages: trainImages);
    }

    /// <summary>A results database in the temp directory, described in the test log at the end.</summary>
    public SweepDb Database(string file)
    {
        var db = new SweepDb(Dir.File(file));
        databases.Add(db);
        return db;
    }

    /// <summary>Starts <c>vaesweep silo</c> and waits until it serves the work queue.</summary>
    public async Task<VaesweepProcess> StartSiloAsync(string name, int slots = 1)
    {
        var silo = Start(name, "silo", "--broker", Broker, "--slots", slots.ToString(System.Globalization.CultureInfo.InvariantCulture), "--name", name);
        await silo.WaitForOutputAsync("serving", Patience);
        return silo;
    }

    /// <summary>Starts <c>vaesweep run SPEC --db DB --broker URI</c> (plus <paramref name="extra"/>) without waiting.</summary>
    public VaesweepProcess StartRun(string name, string spec, string db, params string[] extra)
        => Start(name, ["run", spec, "--db", db, "--broker", Broker, .. extra]);

    /// <summary>Any vaesweep verb, with this test's broker prefix and lease in its environment.</summary>
    public VaesweepProcess Start(string name, params string[] args)
    {
        var environment = new Dictionary<string, string?>
        {
            ["VAESWEEP_BROKER_PREFIX"] = Prefix,
            ["VAESWEEP_BROKER_LEASE"] = LeaseSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // Nothing from the developer's shell may point these processes elsewhere.
            ["VAESWEEP_BROKER"] = null,
            ["VAESWEEP_BROKER_USER"] = null,
            ["VAESWEEP_BROKER_PASSWORD"] = null,
        };
        var process = VaesweepProcess.Start(name, Dir.Path, environment, clock, args);
        lock (processes) processes.Add(process);
        return process;
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
        try
        {
            await DeleteQueuesAsync();
        }
        catch (Exception e)
        {
            output.WriteLine($"could not delete the {Prefix} queues: {e.Message}");
        }
        finally
        {
            brokerLock.Dispose();
            Dir.Dispose();
        }
    }

    private Task DeleteQueuesAsync() => BrokerCleanup.DeleteAsync(Broker, Topology, sweeps);
}
