using System.Diagnostics;
using VaeSweep.Grains.Contracts;
using Xunit.Abstractions;

namespace VaeSweep.Silo.Tests.Broker;

/// <summary>
/// The broker stops and starts again mid-sweep (as on a broker upgrade): silo and client reconnect on
/// their own, running trials go on and their events go out once the broker is back. Needs rabbitmqctl
/// rights over the local broker, as on the CI machine.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class BrokerRestartTests(ITestOutputHelper output)
{
    [Fact]
    [Trait("Category", "BrokerRestart")]
    public async Task A_sweep_survives_a_broker_restart()
    {
        await using var kit = new BrokerTestKit(output);
        var brokerDown = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var script = new GrainScript
        {
            // Epoch 2 onwards is trained while the broker is away: its events must wait and then go out.
            BeforeEpoch = (_, epoch, ct) => epoch == 2 ? brokerDown.Task.WaitAsync(ct) : Task.CompletedTask,
        };
        var runner = await kit.RunnerAsync("restart");
        await kit.SiloAsync("survivor", 2, script.Grain);
        string[] trials = ["t1", "t2", "t3"];
        foreach (var trial in trials)
            await runner.SubmitAsync(BrokerTestKit.Work("restart", trial), kit.Token);
        var events = await EventLog.CollectAsync(runner, e => e.OfType<CheckpointSaved>().Count() == 2, kit.Token);

        try
        {
            await RabbitmqctlAsync("stop_app", kit.Token);
            brokerDown.SetResult();
        }
        finally
        {
            await RabbitmqctlAsync("start_app", kit.Token);
            await RabbitmqctlAsync("await_startup", kit.Token);
        }

        events = await EventLog.CollectAsync(runner, EventLog.AllFinished(trials), kit.Token, events);

        foreach (var trial in trials)
            Assert.Equal(EventLog.ExpectedRun(trial).Order(), events.Where(e => e.TrialId == trial).Select(EventLog.Describe).Distinct().Order());
        Assert.DoesNotContain(events, e => e is TrialReleased or TrialFailed);
    }

    private async Task RabbitmqctlAsync(string command, CancellationToken cancellationToken)
    {
        using var process = Process.Start(new ProcessStartInfo("rabbitmqctl", ["-q", command])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("rabbitmqctl did not start");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        output.WriteLine($"{DateTime.Now:HH:mm:ss.fff} rabbitmqctl {command}: exit {process.ExitCode} {await stdout}{await stderr}");
        Assert.Equal(0, process.ExitCode);
    }
}
