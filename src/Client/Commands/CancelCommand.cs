using System.CommandLine;
using Microsoft.Extensions.Logging;
using VaeSweep.Client.Store;
using VaeSweep.Silo.Broker;

namespace VaeSweep.Client.Commands;

/// <summary>
/// <c>cancel --sweep NAME</c>: marks the sweep's unfinished trials cancelled. The running client sees it
/// within a second and stops those trials wherever they run; finished results stay.
/// </summary>
internal static class CancelCommand
{
    public static Command Create(CliContext context)
    {
        var db = CommonOptions.Database();
        var sweep = new Option<string>("--sweep") { Description = "Sweep to cancel", Required = true };
        var broker = CommonOptions.Broker();
        var command = new Command("cancel", "Cancel a sweep's unfinished trials everywhere") { db, sweep, broker };
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(db)!;
            if (!File.Exists(path)) return context.Fail(ExitCodes.Database, $"{path}: no results database here (pass --db)");
            using var store = ResultsStore.Open(path, time: context.Time);
            var name = parse.GetValue(sweep)!;
            if (!ReadStore.TryResolveSweep(context, store, name, out _)) return ExitCodes.NotFound;
            var cancelled = store.CancelSweep(name);
            context.Out.WriteLine($"sweep {name}: {cancelled} unfinished trial(s) cancelled; running its spec again resumes them");
            // Silos stop the sweep's trials even when no client is running to tell them.
            if ((parse.GetValue(broker) ?? context.Environment(CommonOptions.BrokerVariable)) is { } uri)
            {
                using var logging = BrokerSettings.Logging(LogLevel.Warning);
                try
                {
                    await BrokerControl.CancelSweepAsync(BrokerSettings.From(context, uri), name, logging.CreateLogger("vaesweep.cancel"), ct);
                }
                catch (Exception e) when (e is BrokerConnectionException or ArgumentException)
                {
                    return context.Fail(ExitCodes.BrokerUnavailable, $"the sweep is cancelled in {path}, but the silos were not told: {e.Message}");
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
