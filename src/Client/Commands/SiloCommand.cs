using System.CommandLine;

namespace VaeSweep.Client.Commands;

/// <summary><c>silo --broker URI</c>: a long-running worker host that takes trials from the broker.</summary>
internal static class SiloCommand
{
    public static Command Create(CliContext context)
    {
        var broker = CommonOptions.Broker();
        var slots = new Option<int?>("--slots") { Description = "Trials at once (default: one per core)" };
        var name = new Option<string?>("--name") { Description = "Silo name (default: host name and process id)" };
        var command = new Command("silo", "Run a worker host that takes trials from the broker until Ctrl-C / SIGTERM") { broker, slots, name };
        command.SetAction(parse => context.Fail(ExitCodes.BrokerUnavailable, "cluster mode is not wired yet"));
        return command;
    }
}
