using VaeSweep.Silo;

namespace VaeSweep.Client.Commands;

/// <summary>Chooses where trials run: the embedded silo, or the cluster behind --broker.</summary>
internal static class TrialRunners
{
    public static ValueTask<ITrialRunner> OpenAsync(CliContext context, string? broker, int? slots, CancellationToken cancellationToken)
    {
        if (broker is null)
        {
            var options = slots is { } n ? new EmbeddedSiloOptions { Slots = n } : new EmbeddedSiloOptions();
            return ValueTask.FromResult<ITrialRunner>(EmbeddedSilo.Create(options, context.Time));
        }

        throw new NotSupportedException("cluster mode is not wired yet");
    }
}
