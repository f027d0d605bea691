namespace VaeSweep.Client.Progress;

/// <summary>
/// Shows <see cref="SweepProgress"/>: live bars on a terminal (<see cref="ProgressFrame"/> on a
/// <see cref="TerminalScreen"/>), or one line every few seconds when output goes to a file or a pipe (CI logs,
/// scripts), where redrawing would only add noise.
/// </summary>
public static class ProgressView
{
    /// <summary>How often the live display redraws: often enough to follow a resize at once and count the ETA down.</summary>
    private static readonly TimeSpan Redraw = TimeSpan.FromMilliseconds(200);

    /// <param name="terminalSize">The terminal's columns and rows now (read at every frame, so a resize redraws to fit).</param>
    public static async Task ShowAsync(TextWriter output, SweepProgress progress, bool live, Func<(int Width, int Height)> terminalSize, Task until)
    {
        if (live)
        {
            using (var screen = new TerminalScreen(output))
            {
                screen.Enter();
                while (!until.IsCompleted)
                {
                    var (width, height) = terminalSize();
                    screen.Draw(ProgressFrame.Lines(progress.Read(), width, height));
                    await Task.WhenAny(until, Task.Delay(Redraw));
                }
            }

            // The display leaves nothing behind; a sweep that ran to its end leaves its one-line summary. An interrupted
            // one leaves only the caller's line saying so.
            if (until.IsCompletedSuccessfully) output.WriteLine(Summary(progress.Read()));
            return;
        }

        var last = "";
        while (!until.IsCompleted)
        {
            await Task.WhenAny(until, Task.Delay(TimeSpan.FromSeconds(5)));
            var line = Summary(progress.Read());
            if (line != last) output.WriteLine(line);
            last = line;
        }
    }

    public static string Summary(SweepProgress.Snapshot s)
    {
        var eta = s.Eta is { } t ? $", eta {Format(t)}" : "";
        var pruned = s.Pruned > 0 ? $" ({s.Pruned} pruned)" : "";
        return $"{s.Sweep}: {s.Finished + s.Pruned}/{s.Total} done{pruned}, {s.Running.Count} running, {s.Waiting} waiting, {s.Failed} failed, {s.Diverged} diverged, {Format(s.Elapsed)} elapsed{eta}";
    }

    /// <summary>m:ss, h:mm:ss, or with whole days in front ("41d 16:53:20"): h in a TimeSpan format drops the days.</summary>
    public static string Format(TimeSpan t) => t.TotalDays >= 1
        ? $"{(long)t.TotalDays}d {t.ToString(@"hh\:mm\:ss", System.Globalization.CultureInfo.InvariantCulture)}"
        : t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss", System.Globalization.CultureInfo.InvariantCulture) : t.ToString(@"m\:ss", System.Globalization.CultureInfo.InvariantCulture);
}
