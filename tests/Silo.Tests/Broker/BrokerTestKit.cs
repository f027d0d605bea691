using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using VaeSweep.Grains.Contracts;
using VaeSweep.Silo.Broker;
using Xunit.Abstractions;

namespace VaeSweep.Silo.Tests.Broker;

/// <summary>
/// One test's private corner of the real broker on loopback: a unique prefix (so tests never see each
/// other's queues), fast protocol timings, helpers to start runners and silos, and deletion of every
/// durable queue and exchange the test made.
/// </summary>
internal sealed class BrokerTestKit : IAsyncDisposable
{
    public const string Uri = "amqp://guest:guest@localhost:5672/";

    /// <summary>Generous upper bound for any wait: a hang fails the test instead of stalling the run.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private readonly List<IAsyncDisposable> owned = [];
    // Held for the test's life: the Client.Tests cluster tests use the same broker and restart it.
    private readonly BrokerLock brokerLock = BrokerLock.Acquire(TimeSpan.FromMinutes(10));
    private readonly HashSet<string> sweeps = [];

    /// <param name="tune">Changes to the fast default timings, for a test about timing itself.</param>
    public BrokerTestKit(ITestOutputHelper output, Func<BrokerOptions, BrokerOptions>? tune = null)
    {
        Logger = new TestLogger(output);
        var options = new BrokerOptions
        {
            Uri = Uri,
            Prefix = $"vst-{Guid.NewGuid():N}"[..16],
            HeartbeatInterval = TimeSpan.FromMilliseconds(500),
            Lease = TimeSpan.FromSeconds(5),
            RetryInterval = TimeSpan.FromMilliseconds(500),
            ConnectTimeout = TimeSpan.FromSeconds(5),
        };
        Options = tune?.Invoke(options) ?? options;
        Topology = new Topology(Options.Prefix);
        Timeout = new CancellationTokenSource(Patience);
    }

    public BrokerOptions Options { get; }

    public Topology Topology { get; }

    public ILogger Logger { get; }

    public CancellationTokenSource Timeout { get; }

    public CancellationToken Token => Timeout.Token;

    public async Task<BrokerTrialRunner> RunnerAsync(string sweep)
    {
        sweeps.Add(sweep);
        var runner = await BrokerTrialRunner.ConnectAsync(Options, sweep, Logger, TimeProvider.System, Token);
        owned.Add(runner);
        return runner;
    }

    public async Task<BrokerSilo> SiloAsync(string name, int slots, Func<string, ITrialGrain> grains)
    {
        var options = new BrokerSiloOptions { Broker = Options, Name = name, Slots = slots, ShutdownTimeout = TimeSpan.FromSeconds(10) };
        var silo = new BrokerSilo(options, () => grains(name), Logger, TimeProvider.System);
        owned.Add(silo);
        await silo.StartAsync(Token);
        return silo;
    }

    public static TrialWork Work(string sweep, string trial, int attempt = 1, int epochs = 3) => new(
        sweep, trial, attempt,
        new Model.TrialConfig { Epochs = epochs, Hidden = [8], Latent = 2, BatchSize = 32, ImportanceSamples = 10, EvalExamples = 20 },
        new DatasetRef("synthetic", "/nonexistent", 50, 7, 0),
        Checkpoint: null);

    /// <summary>Ready messages in a queue (not counting ones delivered and unacknowledged).</summary>
    public async Task<uint> CountAsync(string queue)
    {
        var factory = new ConnectionFactory { Uri = new System.Uri(Uri) };
        await using var connection = await factory.CreateConnectionAsync(Token);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: Token);
        return await channel.MessageCountAsync(queue, Token);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var item in Enumerable.Reverse(owned))
        {
            try
            {
                await item.DisposeAsync();
            }
            catch (Exception ex)
            {
                Logger.LogWarning("Disposing {Item}: {Error}", item.GetType().Name, ex.Message);
            }
        }

        await BrokerCleanup.DeleteAsync(Uri, Topology, sweeps);
        Timeout.Dispose();
        brokerLock.Dispose();
    }

    /// <summary>Registers a sweep whose queues the kit must delete (for sweeps used without a runner of the kit).</summary>
    public void Owns(string sweep) => sweeps.Add(sweep);
}
