using Microsoft.Extensions.Logging;

namespace VaeSweep.Client.Commands;

/// <summary>
/// A logger factory whose disposal never throws for the log file's sake: on a full disk the file sink's final flush
/// fails, and that must not replace the command's own one-paragraph message (and exit code) with a stack trace.
/// </summary>
internal sealed class ForgivingLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => inner.CreateLogger(categoryName);

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose()
    {
        try
        {
            inner.Dispose();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            // What the file could not take is lost; the command has said what matters on standard error.
        }
    }
}
