using Microsoft.Extensions.Logging;
using VaeSweep.Silo;
using VaeSweep.Silo.Broker;

namespace VaeSweep.Client.Commands;

/// <summary>Chooses where trials run: the embedded silo, or the cluster behind --broker.</summary>
internal static class TrialRunners
{
    /// <exception cref="BrokerConnectionException">The broker is unreachable or refused the credentials.</exception>
    public static async ValueTask<ITrialRunner> OpenAsync(CliContext context, string? broker, string sweep, int? slots,
        ILoggerFactory logging, CancellationToken cancellationToken)
    {
        if (broker is null)
        {
            var options = slots is { } n ? new EmbeddedSiloOptions { Slots = n } : new EmbeddedSiloOptions();
            return EmbeddedSilo.Create(options, context.Time);
        }

        return await BrokerTrialRunner.ConnectAsync(BrokerSettings.From(context, broker), sweep,
            logging.CreateLogger("vaesweep.client"), context.Time, cancellationToken);
    }
}
