using System.CommandLine;
using System.Net;
using Microsoft.Extensions.Logging;
using VaeSweep.Silo;

namespace VaeSweep.Client.Commands;

/// <summary>
/// <c>silo --cluster redis://HOST:PORT</c>: a long-running worker host that joins the cluster and trains
/// the trials clients give it. Ctrl-C or SIGTERM stops it cleanly: its running trials are released and
/// go to another silo from their last checkpoint.
/// </summary>
internal static class SiloCommand
{
    public static Command Create(CliContext context)
    {
        var cluster = CommonOptions.Cluster("The cluster to join (required)");
        var slots = new Option<int?>("--slots") { Description = "Trials at once (default: one per core)" };
        var name = new Option<string?>("--name") { Description = "Silo name (default: host name and process id)" };
        var address = new Option<string?>("--address") { Description = "Address other machines reach this silo at (default: this machine's first non-loopback address)" };
        var listen = new Option<string?>("--listen")
        {
            Description = "Interface the silo and gateway ports listen on (default: --address only); 0.0.0.0 listens on every interface, " +
                          "which exposes both unauthenticated ports to every network this machine is on",
        };
        var port = new Option<int?>("--port") { Description = "Silo-to-silo port (default 11111)" };
        var gatewayPort = new Option<int?>("--gateway-port") { Description = "Port clients connect to (default 30000)" };
        var dashboard = new Option<int?>("--dashboard") { Description = "Serve the Orleans dashboard on this port (loopback only unless --dashboard-address)" };
        var dashboardAddress = new Option<string?>("--dashboard-address") { Description = "Interface the dashboard listens on (default 127.0.0.1)" };
        var command = new Command("silo", "Run a worker host that joins the cluster and trains trials until Ctrl-C / SIGTERM")
        {
            cluster, slots, name, address, listen, port, gatewayPort, dashboard, dashboardAddress,
        };
        command.SetAction(async (parse, ct) =>
        {
            WorkerSiloOptions options;
            try
            {
                var at = ClusterSettings.From(context, parse.GetValue(cluster))
                    ?? throw new FormatException($"silo: --cluster redis://HOST:PORT (or ${CommonOptions.ClusterVariable}) is required");
                options = new WorkerSiloOptions { Cluster = at };
                if (parse.GetValue(slots) is { } n) options = options with { Slots = n };
                if (parse.GetValue(name) is { } silo) options = options with { Name = silo };
                if (parse.GetValue(address) is { } ip) options = options with { Address = ParseAddress("--address", ip) };
                if (parse.GetValue(listen) is { } l) options = options with { Listen = ParseAddress("--listen", l) };
                if (parse.GetValue(port) is { } p) options = options with { SiloPort = p };
                if (parse.GetValue(gatewayPort) is { } g) options = options with { GatewayPort = g };
                if (parse.GetValue(dashboard) is { } d) options = options with { DashboardPort = d };
                if (parse.GetValue(dashboardAddress) is { } da) options = options with { DashboardAddress = ParseAddress("--dashboard-address", da) };
                options.Validate();
            }
            catch (Exception e) when (e is FormatException or ArgumentException)
            {
                return context.Fail(ExitCodes.Usage, e.Message);
            }

            using var logging = ClusterSettings.Logging(LogLevel.Information, LogLevel.Warning);
            try
            {
                if (await WorkerSilo.RunAsync(options, context.Time, logging, ct) == SiloEnd.Stopped) return ExitCodes.Ok;
                return context.Fail(ExitCodes.SiloUnlisted,
                    $"silo {options.Name}: the cluster's membership in Redis no longer lists this silo (Redis restarted without its data?); " +
                    "exiting so that it joins afresh when started again (a service manager with Restart=always does that); its trials go back to the client");
            }
            catch (ClusterException e)
            {
                return context.Fail(ClusterSettings.ExitCode(e), e.Message);
            }
        });
        return command;
    }

    private static IPAddress ParseAddress(string flag, string value) =>
        IPAddress.TryParse(value, out var ip) ? ip : throw new FormatException($"{flag}: expected an IP address, got '{value}'");
}
