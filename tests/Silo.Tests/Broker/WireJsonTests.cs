using RabbitMQ.Client;
using VaeSweep.Grains.Contracts;
using VaeSweep.Model;
using VaeSweep.Silo.Broker;

namespace VaeSweep.Silo.Tests.Broker;

public sealed class WireJsonTests
{
    public static TheoryData<TrialEvent> Events() => new()
    {
        new TrialStarted("t1", 2, "silo-a", 3),
        new TrialStarted("t1", 2, "silo-a", 3, "numerics 2, avx512"),
        new EpochCompleted("t1", 2, new EpochMetrics(4, double.NaN, double.PositiveInfinity, 1, 2, 3, 4, 5, 6, 7)),
        new CheckpointSaved("t1", 2, 4, [1, 2, 255]),
        new TrialFailed("t1", 2, "DatasetException: missing train-images"),
        new TrialDiverged("t1", 2, 5, "NaN loss"),
        new TrialReleased("t1", 2, "silo shutting down"),
    };

    [Theory]
    [MemberData(nameof(Events))]
    public void Every_event_type_survives_the_wire(TrialEvent original)
    {
        var copy = WireJson.Deserialize<TrialEvent>(WireJson.Serialize(original));

        Assert.Equal(original.GetType(), copy.GetType());
        // Records with arrays do not compare by value; their wire forms do.
        Assert.Equal(WireJson.Serialize(original), WireJson.Serialize(copy));
        Assert.Contains("\"type\":", System.Text.Encoding.UTF8.GetString(WireJson.Serialize(original)));
    }

    [Fact]
    public void A_finished_event_keeps_its_per_example_estimates()
    {
        var estimate = new LogLikelihoodEstimate("validation", 1000, 3, -90.1, 0.4, -95.2, [-89.5, -90.25, -90.55]);
        var original = new TrialFinished("t9", 1, estimate, estimate with { Split = "test" }, 12.5);

        var copy = Assert.IsType<TrialFinished>(WireJson.Deserialize<TrialEvent>(WireJson.Serialize<TrialEvent>(original)));

        Assert.Equal(original.Validation.PerExample, copy.Validation.PerExample);
        Assert.Equal("test", copy.Test.Split);
        Assert.Equal(12.5, copy.Seconds);
    }

    [Fact]
    public void Work_survives_the_wire_with_its_config_and_checkpoint()
    {
        var original = new TrialWork("sweep", "t1", 3,
            new TrialConfig { Hidden = [16, 8], Latent = 4, Activation = Activation.Tanh, Likelihood = Likelihood.Bernoulli, Binarization = Binarization.Dynamic, Beta = 0.5 },
            new DatasetRef("fashion", "/data/fashion", 5000, 42, 0), [9, 8, 7]);

        var copy = WireJson.Deserialize<TrialWork>(WireJson.Serialize(original));

        Assert.Equal(original.Config.Hidden, copy.Config.Hidden);
        Assert.Equal(original.Config with { Hidden = copy.Config.Hidden }, copy.Config);
        Assert.Equal(original.Dataset, copy.Dataset);
        Assert.Equal(original.Checkpoint, copy.Checkpoint);
    }

    [Fact]
    public void A_message_of_another_type_or_version_is_refused()
    {
        var current = WireJson.Properties(Topology.EventType, persistent: true);
        Assert.Null(WireJson.Mismatch(current, Topology.EventType));
        Assert.Equal($"type '{Topology.EventType}' where '{Topology.WorkType}' was expected", WireJson.Mismatch(current, Topology.WorkType));

        var future = new BasicProperties { Type = Topology.EventType, Headers = new Dictionary<string, object?> { [Topology.VersionHeader] = 99 } };
        Assert.Equal($"version 99 where this build speaks {Topology.Version}", WireJson.Mismatch(future, Topology.EventType));
        Assert.Equal($"no {Topology.VersionHeader} header", WireJson.Mismatch(new BasicProperties { Type = Topology.EventType }, Topology.EventType));
    }
}
