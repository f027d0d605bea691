namespace VaeSweep.Client.Tests.Fixtures;

/// <summary>Runs the vaesweep command line in-process and captures what it printed.</summary>
internal sealed record CliRun(int ExitCode, string Out, string Err)
{
    public static async Task<CliRun> InvokeAsync(string workingDirectory, params string[] args) =>
        await InvokeAsync(workingDirectory, CancellationToken.None, args);

    public static async Task<CliRun> InvokeAsync(string workingDirectory, CancellationToken cancellationToken, params string[] args)
    {
        var resolved = args.Select(a => a.Replace("{dir}", workingDirectory)).ToArray();
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await Cli.InvokeAsync(resolved, output, error, TimeProvider.System, _ => null, cancellationToken);
        return new CliRun(code, output.ToString(), error.ToString());
    }

    public override string ToString() => $"exit {ExitCode}\n--- out\n{Out}\n--- err\n{Err}";
}
