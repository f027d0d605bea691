using Spectre.Console;

namespace VaeSweep.Client;

/// <summary>What every command writes to and reads from, injected so tests run commands in-process.</summary>
/// <param name="input">Answers to prompts (rm's confirmation); the console's standard input when null.</param>
public sealed class CliContext(TextWriter output, TextWriter error, TimeProvider time, Func<string, string?> environment, TextReader? input = null)
{
    public TextReader In { get; } = input ?? System.Console.In;

    public TextWriter Out { get; } = output;
    public TextWriter Err { get; } = error;
    public TimeProvider Time { get; } = time;

    /// <summary>Live progress only on a real terminal; files and pipes get plain periodic lines.</summary>
    public bool Interactive { get; } = IsTerminal(output);

    public IAnsiConsole Console { get; } = AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(output),
        Ansi = IsTerminal(output) ? AnsiSupport.Detect : AnsiSupport.No,
        Interactive = IsTerminal(output) ? InteractionSupport.Detect : InteractionSupport.No,
    });

    private static bool IsTerminal(TextWriter output) => ReferenceEquals(output, System.Console.Out) && !System.Console.IsOutputRedirected;

    public string? Environment(string name) => environment(name);

    /// <summary>The terminal's columns and rows now; 80×24 when there is no terminal to ask.</summary>
    public (int Width, int Height) TerminalSize()
    {
        try
        {
            var (width, height) = (System.Console.WindowWidth, System.Console.WindowHeight);
            return (width > 0 ? width : 80, height > 0 ? height : 24);
        }
        catch (IOException)
        {
            return (80, 24);
        }
    }

    /// <summary>Writes "vaesweep: message" to standard error and returns the exit code, for one-line failure paths.</summary>
    public int Fail(int exitCode, string message)
    {
        Err.WriteLine($"vaesweep: {message}");
        return exitCode;
    }
}
