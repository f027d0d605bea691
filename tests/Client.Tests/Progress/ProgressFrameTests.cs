using VaeSweep.Client.Progress;

namespace VaeSweep.Client.Tests.Progress;

public sealed class ProgressFrameTests
{
    private static SweepProgress.Snapshot Snapshot(int running) => new("fashion-quick", 12, 3, 0, 0, 0,
        Enumerable.Range(0, running).Select(i => new SweepProgress.RunningRow(
            $"{i:x2}45fa6e139afd86d (latent=20, sigma=0.1, beta=4, lr=0.001, activation=softplus)", "host", i % 10, 10, -123.456)).ToList(),
        TimeSpan.FromSeconds(83), TimeSpan.FromSeconds(130));

    [Theory]
    [InlineData(160, 40)]
    [InlineData(80, 24)]
    [InlineData(40, 10)]
    public void Every_line_is_shorter_than_the_terminal_so_nothing_wraps(int width, int height)
    {
        var lines = ProgressFrame.Lines(Snapshot(running: 3), width, height);
        Assert.All(lines, l => Assert.True(l.Length < width, $"{l.Length} ≥ {width}: {l}"));
        Assert.True(lines.Count < height);
    }

    [Fact]
    public void The_overall_bar_shows_the_part_done_and_each_trial_its_epochs_and_elbo()
    {
        var lines = ProgressFrame.Lines(Snapshot(running: 2), 120, 40);

        Assert.StartsWith("fashion-quick: 3/12 done, 2 running, 7 waiting", lines[0]);
        // 3 ended trials and 0/10 + 1/10 of the two running ones: 3.1 of 12.
        Assert.Contains(" 26%  1:23 elapsed, eta 2:10", lines[1]);
        Assert.Equal(119, lines[1].Length);
        Assert.Matches(@"^0145fa6e latent=20 sigma=0\.1 beta=4 lr=0\.001 \S*… [█░]{10,} epoch 1/10 +ELBO -123\.5$", lines[3]);
        var bar = lines[3].Split(' ').Single(w => w.Contains('░'));
        Assert.Equal(Math.Round(bar.Length / 10.0), bar.Count(c => c == '█'));
    }

    [Fact]
    public void Trials_beyond_the_height_are_counted_not_drawn()
    {
        var lines = ProgressFrame.Lines(Snapshot(running: 30), 100, 12);
        Assert.True(lines.Count <= 10);
        Assert.Equal($"… and {30 - (lines.Count - 3)} more running", lines[^1]);
    }

    [Fact]
    public void Labels_put_the_swept_values_first()
    {
        Assert.Equal("545fa6e1 activation=relu lr=0.001", ProgressFrame.Compact("545fa6e139afd86d (activation=relu, lr=0.001)"));
        Assert.Equal("545fa6e139afd86d", ProgressFrame.Compact("545fa6e139afd86d"));
    }
}
