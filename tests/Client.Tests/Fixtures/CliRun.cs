namespace VaeSweep.Client.Tests.Fixtures;

/// <summary>Runs the vaesweep command line in-process and captures what it printed.</summary>
internal sealed record CliRun(int ExitCode, string Out, string Err)
{
    public static async Task<CliRun> InvokeAsync(string workingDirectory, params string[] args) =>
        await InvokeAsync(workingDirectory, CancellationToken.None, args);

    public static async Task<CliRun> InvokeAsync(string workingDirectory, CancellationToken cancellationToken, params string[] args) =>
        await InvokeAsync(workingDirectory, cancellationToken, "", args);

    /// <summary>Runs with <paramref name="input"/> as standard input (answers to prompts; empty: end of input at once).</summary>
    public static async Task<CliRun> InvokeWithInputAsync(string workingDirectory, string input, params string[] args) =>
        await InvokeAsync(workingDirectory, CancellationToken.None, input, args);

    private static async Task<CliRun> InvokeAsync(string workingDirectory, CancellationToken cancellationToken, string input, string[] args)
    {
        var resolved = args.Select(a => a.Replace("{dir}", workingDirectory)).ToArray();
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var stdin = new StringReader(input);
        var code = await Cli.InvokeAsync(resolved, output, error, TimeProvider.System, _ => null, cancellationToken, stdin);
        return new CliRun(code, output.ToString(), error.ToString());
    }

    public override string ToString() => $"exit {ExitCode}\n--- out\n{Out}\n--- err\n{Err}";
}
