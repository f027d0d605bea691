using System.Diagnostics;
using Xunit.Abstractions;

namespace VaeSweep.Client.Tests.Cluster;

/// <summary>Drives the local broker node (needs rabbitmqctl rights, as root on the CI machine has).</summary>
internal static class Rabbitmqctl
{
    public static async Task RunAsync(ITestOutputHelper output, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo("rabbitmqctl", ["-q", .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("rabbitmqctl did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(limit.Token);
        var said = $"rabbitmqctl {string.Join(' ', args)}: exit {process.ExitCode} {await stdout}{await stderr}";
        output.WriteLine($"{DateTime.Now:HH:mm:ss.fff} {said}");
        if (process.ExitCode != 0) throw new InvalidOperationException(said);
    }
}
