using System.Diagnostics;
using VaeSweep.Client.Store;
using VaeSweep.Client.Tests.Cluster;
using VaeSweep.Client.Tests.Fixtures;
using VaeSweep.Client.Tests.Store;

namespace VaeSweep.Client.Tests.Commands;

/// <summary><c>rm</c>'s confirmation on a real pseudo-terminal: the real vaesweep process in a tmux pane, answered by keystrokes.</summary>
public sealed class RmPromptTerminalTests
{
    [Theory]
    [InlineData("y", ExitCodes.Ok, 0)]
    [InlineData("n", ExitCodes.Declined, 1)]
    public async Task Rm_asks_on_the_terminal_and_acts_on_the_answer(string answer, int exitCode, int sweepsLeft)
    {
        using var dir = new TempDirectory();
        var dbPath = dir.File("r.db");
        using (var store = ResultsStore.Open(dbPath))
            store.ApplyVersion("tiny", "name: tiny\n", "identity", "{}", [Samples.Trial("a")]);

        // Our own tmux server (socket), so nothing here touches anyone else's sessions.
        var socket = "vaesweep-rm-" + Guid.NewGuid().ToString("N")[..12];
        var command = $"'{VaesweepProcess.DotnetHost()}' '{VaesweepProcess.VaesweepDll()}' rm tiny --db '{dbPath}'; echo EXIT=$?; sleep 600";
        await Tmux(socket, "new-session", "-d", "-s", "rm", "-x", "200", "-y", "20", command);
        try
        {
            await PaneShows(socket, "[y/N]");
            await Tmux(socket, "send-keys", "-t", "rm", answer, "Enter");
            var pane = await PaneShows(socket, "EXIT=");

            Assert.Contains($"EXIT={exitCode}", pane);
            Assert.Contains("remove sweep 'tiny' (1 version(s), 1 trial(s)", pane);
        }
        finally
        {
            await Tmux(socket, "kill-server");
        }

        using var check = ResultsStore.Open(dbPath, readOnly: true);
        Assert.Equal(sweepsLeft, check.Sweeps().Count);
    }

    private static async Task<string> PaneShows(string socket, string text)
    {
        var until = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (true)
        {
            var pane = await Tmux(socket, "capture-pane", "-p", "-t", "rm");
            if (pane.Contains(text, StringComparison.Ordinal)) return pane;
            if (DateTime.UtcNow > until) throw new TimeoutException($"the pane never showed '{text}'; it shows:\n{pane}");
            await Task.Delay(100);
        }
    }

    private static async Task<string> Tmux(string socket, params string[] args)
    {
        var start = new ProcessStartInfo("tmux") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-L");
        start.ArgumentList.Add(socket);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var tmux = Process.Start(start)!;
        var output = await tmux.StandardOutput.ReadToEndAsync();
        await tmux.WaitForExitAsync();
        return output;
    }
}
