using VaeSweep.Client.Tests.Fixtures;

namespace VaeSweep.Client.Tests.Progress;

/// <summary>
/// The live display as a user sees it: vaesweep run in a real tmux pane (a pseudo-terminal), read back with
/// capture-pane. Bars are drawn, a resize redraws them to the new width without torn or wrapped lines, and when the
/// run ends (or Ctrl-C stops it) nothing of the display is left on the screen or in the scrollback.
/// </summary>
public sealed class LiveDisplayInTmuxTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    /// <summary>Two trials slow enough (a wide hidden layer, small batches) to be watched for a few seconds each.</summary>
    private static string WriteSpec(TempDirectory dir, int epochs)
    {
        var data = IdxFiles.Write(dir.File("data"), train: 3000, side: 8);
        var spec = dir.File("live.yaml");
        File.WriteAllText(spec, $$"""
            name: live
            dataset: { name: blobs, path: {{data}}, validation: 200 }
            model: { hidden: [256], likelihood: gaussian }
            train: { epochs: {{epochs}}, batch_size: 16, seed: 1 }
            eval: { importance_samples: 20, examples: 20 }
            sweep:
              strategy: grid
              parameters:
                activation: [relu, tanh]
            """);
        return spec;
    }

    private static bool ShowsBars(IReadOnlyList<string> screen) =>
        screen.Any(l => l.Contains('%') && l.Contains('█')) && screen.Any(l => l.Contains("epoch ") && l.Contains("activation="));

    [Fact]
    public async Task Bars_are_drawn_a_resize_redraws_them_and_nothing_is_left_at_the_end()
    {
        using var dir = new TempDirectory();
        var spec = WriteSpec(dir, epochs: 12);
        using var tmux = TmuxSession.Start(dir.Path, 160, 40, "run", spec, "--db", dir.File("r.db"), "--slots", "2");

        var wide = await tmux.WaitForAsync("the overall bar and a bar per running trial", ShowsBars, Patience);
        Assert.All(wide, l => Assert.True(l.Length < 160, $"a line fills the 160-column row and wraps: '{l}'"));
        var trialLine = wide.First(l => l.Contains("epoch ") && l.Contains("activation="));
        Assert.Matches(@"^[0-9a-f]{8} activation=(relu|tanh) +[█░]+ epoch \d+/12( +ELBO -?\d+\.\d)?$", trialLine);

        tmux.Resize(80, 30);
        // Redrawn for 80 columns: the overall bar now fits 80, and no row holds a piece of a 160-column frame.
        var narrow = await tmux.WaitForAsync("the display redrawn for 80 columns",
            s => ShowsBars(s) && s.Single(l => l.Contains('%')).Length < 80, Patience);
        Assert.All(narrow, l => Assert.True(l.Length < 80, $"a line is wider than the resized terminal: '{l}'"));
        Assert.Single(narrow, l => l.Contains('%'));
        Assert.All(narrow.Where(l => l.Contains('█') && !l.Contains('%')), l => Assert.Contains("epoch ", l));

        var end = await tmux.WaitForAsync("the run's exit", s => s.Any(l => l.StartsWith("EXIT=", StringComparison.Ordinal)), Patience);
        Assert.Contains("EXIT=0", end);
        var history = tmux.History();
        Assert.DoesNotContain('█', history);
        Assert.DoesNotContain('░', history);
        Assert.DoesNotContain("│", history);
        Assert.Contains("live: 2/2 done", history);
        Assert.Contains("heldout_ll", history);
    }

    [Fact]
    public async Task Ctrl_c_leaves_one_line_and_no_display()
    {
        using var dir = new TempDirectory();
        var spec = WriteSpec(dir, epochs: 400);
        using var tmux = TmuxSession.Start(dir.Path, 120, 30, "run", spec, "--db", dir.File("r.db"), "--slots", "2");
        await tmux.WaitForAsync("bars", ShowsBars, Patience);

        tmux.SendKeys("C-c");

        var end = await tmux.WaitForAsync("the run's exit", s => s.Any(l => l.StartsWith("EXIT=", StringComparison.Ordinal)), Patience);
        Assert.Contains("EXIT=130", end);
        var lines = tmux.History().Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToList();
        // Between the run's opening line and the exit: the one line saying what was kept, nothing else.
        var opening = lines.FindIndex(l => l.StartsWith("live: 2 trials", StringComparison.Ordinal));
        var exit = lines.FindIndex(l => l.StartsWith("EXIT=", StringComparison.Ordinal));
        Assert.True(opening >= 0, string.Join('\n', lines));
        var between = lines[(opening + 1)..exit];
        Assert.True(between.Count == 1 && between[0].StartsWith("vaesweep: interrupted", StringComparison.Ordinal),
            "expected one line after Ctrl-C, got:\n" + string.Join('\n', between));
    }
}
