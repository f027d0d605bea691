using Microsoft.Extensions.Logging;
using RabbitMQ.Client;

namespace VaeSweep.Silo.Broker;

/// <summary>Commands for the cluster from a process that is neither the sweep's client nor a silo (<c>vaesweep cancel</c>).</summary>
public static class BrokerControl
{
    /// <summary>
    /// Cancels a whole sweep: every silo stops that sweep's running attempts (each ends with TrialReleased
    /// "sweep cancelled") and drops its queued work as it comes up, including silos that start later; a
    /// client running the sweep sees <see cref="BrokerTrialRunner.SweepCancelled"/>. Results already stored
    /// stay; running the sweep again resumes it (and lifts the cancellation).
    /// </summary>
    /// <exception cref="BrokerConnectionException">The broker is unreachable or refused the credentials.</exception>
    public static async Task CancelSweepAsync(BrokerOptions options, string sweep, ILogger logger, CancellationToken cancellationToken)
    {
        var topology = new Topology(options.Prefix);
        topology.ValidateSweep(sweep);
        await using var connection = await BrokerConnector.ConnectAsync(options, $"vaesweep cancel ({sweep})", logger, cancellationToken);
        await using var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken);
        await topology.DeclareExchangesAsync(channel, cancellationToken);
        // The flag first: a silo that dequeues the sweep's work after this point drops it whether or not it hears the broadcast.
        await topology.DeclareCancelledFlagAsync(channel, sweep, cancellationToken);
        await channel.BasicPublishAsync(topology.ControlExchange, "", mandatory: false,
            WireJson.Properties(Topology.ControlType, persistent: false), WireJson.Serialize(new ControlMessage(ControlKind.CancelSweep, sweep)),
            cancellationToken);
        logger.LogInformation("Cancelled sweep {Sweep}", sweep);
        await connection.CloseAsync(cancellationToken);
    }
}
