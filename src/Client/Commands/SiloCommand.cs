using System.CommandLine;
using Microsoft.Extensions.Logging;
using VaeSweep.Silo.Broker;

namespace VaeSweep.Client.Commands;

/// <summary>
/// <c>silo --broker URI</c>: a long-running worker host that takes trials from the broker. Ctrl-C or
/// SIGTERM stops it cleanly: running trials are released and go to another silo from their last checkpoint.
/// </summary>
internal static class SiloCommand
{
    public static Command Create(CliContext context)
    {
        var broker = CommonOptions.Broker();
        var slots = new Option<int?>("--slots") { Description = "Trials at once (default: one per core)" };
        var name = new Option<string?>("--name") { Description = "Silo name (default: host name and process id)" };
        var command = new Command("silo", "Run a worker host that takes trials from the broker until Ctrl-C / SIGTERM") { broker, slots, name };
        command.SetAction(async (parse, ct) =>
        {
            var uri = parse.GetValue(broker) ?? context.Environment(CommonOptions.BrokerVariable);
            if (uri is null) return context.Fail(ExitCodes.Usage, $"silo: --broker URI (or ${CommonOptions.BrokerVariable}) is required");
            if (parse.GetValue(slots) is < 1) return context.Fail(ExitCodes.Usage, $"--slots: must be at least 1, got {parse.GetValue(slots)}");
            using var logging = BrokerSettings.Logging(LogLevel.Information);
            try
            {
                var options = new BrokerSiloOptions { Broker = BrokerSettings.From(context, uri) };
                if (parse.GetValue(slots) is { } n) options = options with { Slots = n };
                if (parse.GetValue(name) is { } silo) options = options with { Name = silo };
                await BrokerSilo.RunAsync(options, logging.CreateLogger("vaesweep.silo"), ct);
                return ExitCodes.Ok;
            }
            catch (Exception e) when (e is BrokerConnectionException or ArgumentException)
            {
                return context.Fail(ExitCodes.BrokerUnavailable, e.Message);
            }
        });
        return command;
    }
}
