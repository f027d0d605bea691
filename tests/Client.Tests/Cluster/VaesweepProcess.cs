using System.Diagnostics;
using System.Text;

namespace VaeSweep.Client.Tests.Cluster;

/// <summary>
/// One real <c>dotnet vaesweep.dll ...</c> process, its standard output and error kept (timestamped, in
/// order) for assertion messages. Disposing kills it if it still runs, so a failed test leaves nothing behind.
/// </summary>
internal sealed class VaesweepProcess : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder log = new();
    private readonly StringBuilder printed = new();
    private readonly Stopwatch clock;

    private VaesweepProcess(string name, Process process, Stopwatch clock)
    {
        Name = name;
        this.process = process;
        this.clock = clock;
    }

    public string Name { get; }

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    /// <summary>Everything printed so far, each line tagged with the process name and seconds since the test began.</summary>
    public string Output
    {
        get
        {
            lock (log) return log.ToString();
        }
    }

    /// <summary>Only what the process itself wrote to standard output and error, untagged.</summary>
    public string Printed
    {
        get
        {
            lock (log) return printed.ToString();
        }
    }

    /// <summary>Starts vaesweep with <paramref name="args"/>; <paramref name="environment"/> entries with a null value are removed.</summary>
    public static VaesweepProcess Start(string name, string workingDirectory, IReadOnlyDictionary<string, string?> environment, Stopwatch clock, params string[] args)
    {
        // Through env(1), which execs the host in the same process, to give it a terminal's Ctrl-C: a test runner
        // started in the background by a non-interactive shell ignores SIGINT, every child inherits that, and the
        // interrupt tests would then be sending a signal the process was told to ignore.
        var start = new ProcessStartInfo("env")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // Not the test host's console: vaesweep must see a non-interactive run, as under a service manager.
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--default-signal=INT");
        start.ArgumentList.Add(DotnetHost());
        start.ArgumentList.Add(VaesweepDll());
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (key, value) in environment)
        {
            if (value is null) start.Environment.Remove(key);
            else start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var started = new VaesweepProcess(name, process, clock);
        process.OutputDataReceived += (_, e) => started.Append("out", e.Data);
        process.ErrorDataReceived += (_, e) => started.Append("err", e.Data);
        started.Append("cmd", "vaesweep " + string.Join(' ', args));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    /// <summary>Waits for the process to end and returns its exit code; throws with its output if it outlives <paramref name="limit"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Name} still running after {limit.TotalSeconds:0} s\n{Output}");
        }

        return process.ExitCode;
    }

    /// <summary>Waits until the process has printed <paramref name="text"/>; throws if it exits first or <paramref name="limit"/> passes.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan limit)
    {
        var until = DateTime.UtcNow + limit;
        while (!Printed.Contains(text, StringComparison.Ordinal))
        {
            if (HasExited) throw new InvalidOperationException($"{Name} exited ({process.ExitCode}) before printing '{text}'\n{Output}");
            if (DateTime.UtcNow > until) throw new TimeoutException($"{Name} did not print '{text}' within {limit.TotalSeconds:0} s\n{Output}");
            await Task.Delay(50);
        }
    }

    /// <summary>kill -9: the process gets no chance to say or release anything.</summary>
    public void Kill()
    {
        Append("test", "SIGKILL");
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    /// <summary>kill -TERM: the clean stop a service manager asks for (Process has no API for it).</summary>
    public Task TerminateAsync() => SignalAsync("TERM");

    /// <summary>kill -INT: what Ctrl-C in a terminal sends.</summary>
    public Task InterruptAsync() => SignalAsync("INT");

    /// <summary>kill -STOP: freezes the process, so what it has stored can be read as the state it would die in.</summary>
    public Task FreezeAsync() => SignalAsync("STOP");

    /// <summary>kill -CONT: lets a frozen process go on.</summary>
    public Task ThawAsync() => SignalAsync("CONT");

    private async Task SignalAsync(string signal)
    {
        Append("test", $"SIG{signal}");
        using var kill = Process.Start(new ProcessStartInfo("kill", [$"-{signal}", Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })
                         ?? throw new InvalidOperationException("kill did not start");
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0) throw new InvalidOperationException($"kill -{signal} {Id} exited {kill.ExitCode}");
    }

    public void Dispose()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Never started, or already gone.
        }

        process.Dispose();
    }

    private void Append(string stream, string? line)
    {
        if (line is null) return;
        lock (log)
        {
            log.Append($"[{Name} {stream} {clock.Elapsed.TotalSeconds,6:0.0}s] {line}\n");
            if (stream is "out" or "err") printed.Append(line).Append('\n');
        }
    }

    /// <summary>The dotnet host running this test (vstest runs test hosts under it), else the one on PATH.</summary>
    internal static string DotnetHost()
    {
        if (Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet") return self;
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)) return host;
        return "dotnet";
    }

    /// <summary>The client project's build output is copied next to this test assembly.</summary>
    internal static string VaesweepDll()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "vaesweep.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException($"vaesweep.dll is not next to the test assembly in {AppContext.BaseDirectory}", dll);
        return dll;
    }
}
