using System.CommandLine;
using VaeSweep.Client.Commands;

namespace VaeSweep.Client;

/// <summary>The vaesweep command line: verbs, their options, and the exit code each failure maps to.</summary>
public static class Cli
{
    public static Task<int> InvokeAsync(string[] args, TextWriter output, TextWriter error, TimeProvider time,
        Func<string, string?>? environment = null, CancellationToken cancellationToken = default, TextReader? input = null)
    {
        var context = new CliContext(output, error, time, environment ?? System.Environment.GetEnvironmentVariable, input);
        var root = new RootCommand("vaesweep: hyperparameter sweeps of variational autoencoders, on one machine or an Orleans cluster")
        {
            RunCommand.Create(context),
            TopCommand.Create(context),
            QueryCommand.Create(context),
            ShowCommand.Create(context),
            StatusCommand.Create(context),
            SweepsCommand.Create(context),
            ReproduceCommand.Create(context),
            ReportCommand.Create(context),
            CancelCommand.Create(context),
            HistoryCommand.Create(context),
            RmCommand.Create(context),
            SiloCommand.Create(context),
        };
        // A silo needs time after SIGTERM to release its trials to the client (WorkerSilo stops its host within 30 s).
        var config = new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = TimeSpan.FromSeconds(35) };
        var parsed = root.Parse(args);
        // A wrong flag or value is one line naming it (and the closest spelling), not the whole help page.
        if (parsed.Action is System.CommandLine.Invocation.ParseErrorAction shown && args.Length > 0) shown.ShowHelp = false;
        return parsed.InvokeAsync(config, cancellationToken);
    }
}
