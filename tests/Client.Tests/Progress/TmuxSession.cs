using System.Diagnostics;
using VaeSweep.Client.Tests.Cluster;

namespace VaeSweep.Client.Tests.Progress;

/// <summary>
/// vaesweep in a real pseudo-terminal: a tmux server of its own (its own socket, so tests running at the same time
/// never share one), one window of a given size running a shell command, read back with capture-pane.
/// Disposing kills the server and everything in it.
/// </summary>
internal sealed class TmuxSession : IDisposable
{
    private readonly string socket = $"vaesweep-test-{Guid.NewGuid():N}";

    private TmuxSession()
    {
    }

    /// <summary>Starts <c>vaesweep ARGS</c> in <paramref name="directory"/>; when it exits the pane prints EXIT=code and stays.</summary>
    public static TmuxSession Start(string directory, int width, int height, params string[] args)
    {
        var session = new TmuxSession();
        var command = string.Join(' ', new[] { VaesweepProcess.DotnetHost(), VaesweepProcess.VaesweepDll() }.Concat(args).Select(Quote));
        // TERM as a user's terminal would set it; the pane stays open after vaesweep exits so its screen can be read.
        session.Tmux("new-session", "-d", "-x", width.ToString(), "-y", height.ToString(), "-c", directory,
            $"echo before-vaesweep; {command}; echo EXIT=$?; exec sleep 3600");
        return session;
    }

    /// <summary>The visible screen, one string per row (trailing spaces cut by tmux).</summary>
    public IReadOnlyList<string> Screen() => Tmux("capture-pane", "-p").TrimEnd('\n').Split('\n');

    /// <summary>The whole pane, scrollback and screen, wrapped lines joined (what the user can scroll back to after the run).</summary>
    public string History() => Tmux("capture-pane", "-p", "-J", "-S", "-");

    public void Resize(int width, int height) => Tmux("resize-window", "-x", width.ToString(), "-y", height.ToString());

    public void SendKeys(string keys) => Tmux("send-keys", keys);

    /// <summary>Polls the screen until <paramref name="seen"/> holds; fails naming <paramref name="what"/> with the last screen.</summary>
    public async Task<IReadOnlyList<string>> WaitForAsync(string what, Func<IReadOnlyList<string>, bool> seen, TimeSpan patience)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var screen = Screen();
            if (seen(screen)) return screen;
            if (clock.Elapsed > patience) Assert.Fail($"tmux: never saw {what}; the screen was:\n{string.Join('\n', screen)}\n--- history\n{History()}");
            await Task.Delay(50);
        }
    }

    public void Dispose()
    {
        try
        {
            Tmux("kill-server");
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private string Tmux(params string[] args)
    {
        var start = new ProcessStartInfo("tmux") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-L");
        start.ArgumentList.Add(socket);
        start.ArgumentList.Add("-f");
        start.ArgumentList.Add("/dev/null");
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("tmux did not start; the terminal tests need Debian's tmux package");
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"tmux {string.Join(' ', args)}: exit {process.ExitCode}: {error}");
        return output;
    }

    private static string Quote(string word) => "'" + word.Replace("'", "'\\''") + "'";
}
