using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using VaeSweep.Contracts;

namespace VaeSweep.Grains.Tests.Orleans;

/// <summary>
/// A real one-silo Orleans cluster in this process (TestCluster) hosting the real grains, with two slots
/// and synthetic IDX data. Shared by one test class; each test uses its own trial ids.
/// </summary>
public sealed class GrainCluster : IAsyncLifetime
{
    public const int Slots = 2;

    public string Data { get; } = IdxFiles.Write(Directory.CreateTempSubdirectory("vaesweep-grains-").FullName);

    public TestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(1);
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        Directory.Delete(Data, recursive: true);
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            silo.Services.AddSingleton(new SiloIdentity("test-silo", "test-host", Slots));
            silo.Services.AddSingleton<SiloSlots>();
            silo.Services.AddHintedPlacement();
            silo.Services.AddSingleton<DatasetCache>();
            silo.Services.AddSingleton(TimeProvider.System);
            silo.Services.AddVaeSweepSerialization();
        }
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(Microsoft.Extensions.Configuration.IConfiguration configuration, IClientBuilder client) =>
            client.Services.AddVaeSweepSerialization();
    }
}

/// <summary>
/// A client-side observer that keeps what it receives. It can be told to fail every call from some point
/// on, as a client that went away would.
/// </summary>
public sealed class RecordingObserver : ITrialObserver
{
    private readonly Channel<TrialEvent> received = Channel.CreateUnbounded<TrialEvent>();

    /// <summary>Calls fail once this many events were taken.</summary>
    public int FailAfter { get; init; } = int.MaxValue;

    public int Taken { get; private set; }

    public Task OnEventAsync(TrialEvent trialEvent)
    {
        if (Taken >= FailAfter) throw new InvalidOperationException("this client has gone away");
        Taken++;
        received.Writer.TryWrite(trialEvent);
        return Task.CompletedTask;
    }

    /// <summary>Events up to and including the first that matches <paramref name="last"/>.</summary>
    public async Task<List<TrialEvent>> UntilAsync(Func<TrialEvent, bool> last)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var events = new List<TrialEvent>();
        while (true)
        {
            var e = await received.Reader.ReadAsync(patience.Token);
            events.Add(e);
            if (last(e)) return events;
        }
    }

    public static bool Terminal(TrialEvent e) => e is TrialFinished or TrialFailed or TrialDiverged or TrialReleased;
}
