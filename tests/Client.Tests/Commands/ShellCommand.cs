using System.Diagnostics;

namespace VaeSweep.Client.Tests.Commands;

/// <summary>A system command a test needs (mount, umount), where a refusal means "skip", not "fail".</summary>
internal static class ShellCommand
{
    /// <summary>Runs a command; null when it succeeded, else what it printed.</summary>
    public static async Task<string?> RunAsync(string command, params string[] args)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(command, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            var error = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return process.ExitCode == 0 ? null : $"{command} exited {process.ExitCode}: {error.Trim()}";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"{command}: {e.Message}";
        }
    }
}
