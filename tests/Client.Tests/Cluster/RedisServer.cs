using System.Diagnostics;
using VaeSweep.Silo;

namespace VaeSweep.Client.Tests.Cluster;

/// <summary>
/// A private <c>redis-server</c> (Debian's) on a free loopback port with its own data directory, so a test can
/// stop and restart it without touching anyone else's. It persists (RDB on shutdown, AOF), as a lab's would.
/// </summary>
internal sealed class RedisServer : IDisposable
{
    private readonly string directory;
    private Process? process;

    private RedisServer(string directory)
    {
        this.directory = directory;
        Port = ClusterKit.NextPort();
    }

    public int Port { get; }

    public static async Task<RedisServer> StartAsync(string directory)
    {
        Directory.CreateDirectory(directory);
        var server = new RedisServer(directory);
        await server.StartAsync();
        return server;
    }

    public async Task StartAsync()
    {
        var start = new ProcessStartInfo("redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
                     "--dir", directory, "--save", "1 1", "--appendonly", "yes", "--daemonize", "no" })
            start.ArgumentList.Add(arg);
        process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start (is Debian's redis-server installed?)");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var address = new ClusterAddress("127.0.0.1", Port, "probe");
        for (var i = 0; ; i++)
        {
            try
            {
                await RedisProbe.PingAsync(address, TimeSpan.FromSeconds(1), CancellationToken.None);
                return;
            }
            catch (ClusterException) when (i < 100 && !process.HasExited)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>Shuts Redis down as an operator would (it saves first) and waits until it is gone.</summary>
    public async Task StopAsync()
    {
        using var cli = Process.Start(new ProcessStartInfo("redis-cli", ["-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "shutdown"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        await cli.WaitForExitAsync();
        await process!.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>Stops Redis and starts it again without its data (its RDB and AOF deleted), as a host that lost its disk would.</summary>
    public async Task RestartEmptyAsync()
    {
        await StopAsync();
        foreach (var file in Directory.EnumerateFiles(directory, "*.rdb")) File.Delete(file);
        foreach (var aof in Directory.EnumerateDirectories(directory, "appendonlydir*")) Directory.Delete(aof, recursive: true);
        foreach (var file in Directory.EnumerateFiles(directory, "*.aof")) File.Delete(file);
        await StartAsync();
    }

    public void Dispose()
    {
        if (process is { HasExited: false }) process.Kill();
        process?.Dispose();
    }
}
