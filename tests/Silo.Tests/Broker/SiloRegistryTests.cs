using VaeSweep.Grains.Contracts;
using VaeSweep.Silo.Broker;

namespace VaeSweep.Silo.Tests.Broker;

public sealed class SiloRegistryTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(12);
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static HeartbeatMessage Beat(string name, string instance, params (string Sweep, string Trial, int Attempt)[] running) => new(
        new SiloHeartbeat(name, "host", 2, [.. running.Select(r => new RunningTrial(r.Trial, r.Attempt))], T0),
        instance,
        [.. running.Select(r => r.Sweep)]);

    [Fact]
    public void Live_silos_are_those_heard_within_the_lease_with_running_attempts_of_the_sweep_asked()
    {
        var registry = new SiloRegistry(Lease);
        registry.Record(Beat("b", "i2", ("s1", "t1", 1), ("s2", "t1", 3)), T0);
        registry.Record(Beat("a", "i1"), T0.AddSeconds(-11));
        registry.Record(Beat("old", "i0"), T0.AddSeconds(-12));

        var live = registry.Live(T0, "s2");

        Assert.Equal(["a", "b"], live.Select(s => s.Name));
        Assert.Equal([new RunningTrial("t1", 3)], live[1].Running);
        Assert.Equal(2, registry.Live(T0, sweep: null)[1].Running.Count);
    }

    [Fact]
    public void Running_finds_other_live_instances_that_run_an_attempt_of_that_sweep()
    {
        var registry = new SiloRegistry(Lease);
        registry.Record(Beat("a", "i1", ("s1", "t1", 1)), T0);
        registry.Record(Beat("b", "i2", ("s2", "t1", 1)), T0);

        Assert.Equal(["a"], registry.Running("s1", new RunningTrial("t1", 1), T0, exceptInstance: "i9"));
        Assert.Empty(registry.Running("s1", new RunningTrial("t1", 1), T0, exceptInstance: "i1"));
        Assert.Empty(registry.Running("s1", new RunningTrial("t1", 2), T0, exceptInstance: null));
        Assert.Empty(registry.Running("s1", new RunningTrial("t1", 1), T0 + Lease, exceptInstance: null));
    }

    [Fact]
    public void Silence_is_measured_from_the_last_heartbeat_and_reset_by_refresh()
    {
        var registry = new SiloRegistry(Lease);
        registry.Record(Beat("a", "i1"), T0);

        Assert.Equal(TimeSpan.FromSeconds(30), registry.SilentFor("a", T0.AddSeconds(30)));
        Assert.Null(registry.SilentFor("nobody", T0));
        registry.Refresh(T0.AddSeconds(30));
        Assert.Equal(TimeSpan.FromSeconds(1), registry.SilentFor("a", T0.AddSeconds(31)));
    }
}
