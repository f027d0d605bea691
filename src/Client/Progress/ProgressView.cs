using Spectre.Console;
using Spectre.Console.Rendering;

namespace VaeSweep.Client.Progress;

/// <summary>
/// Shows <see cref="SweepProgress"/>: a live table on a terminal, or one line every few seconds when
/// output goes to a file or a pipe (CI logs, scripts), where redrawing would only add noise.
/// </summary>
public static class ProgressView
{
    public static async Task ShowAsync(IAnsiConsole console, TextWriter plain, SweepProgress progress, bool live, Task until)
    {
        if (live)
        {
            await console.Live(Render(progress.Read())).AutoClear(false).StartAsync(async ctx =>
            {
                while (!until.IsCompleted)
                {
                    await Task.WhenAny(until, Task.Delay(500));
                    ctx.UpdateTarget(Render(progress.Read()));
                }
            });
            return;
        }

        var last = "";
        while (!until.IsCompleted)
        {
            await Task.WhenAny(until, Task.Delay(TimeSpan.FromSeconds(5)));
            var line = Summary(progress.Read());
            if (line != last) plain.WriteLine(line);
            last = line;
        }
    }

    public static string Summary(SweepProgress.Snapshot s)
    {
        var eta = s.Eta is { } t ? $", eta {Format(t)}" : "";
        var pruned = s.Pruned > 0 ? $" ({s.Pruned} pruned)" : "";
        return $"{s.Sweep}: {s.Finished + s.Pruned}/{s.Total} done{pruned}, {s.Running.Count} running, {s.Waiting} waiting, {s.Failed} failed, {s.Diverged} diverged, {Format(s.Elapsed)} elapsed{eta}";
    }

    private static IRenderable Render(SweepProgress.Snapshot s)
    {
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn("trial").AddColumn("host").AddColumn(new TableColumn("epoch").RightAligned()).AddColumn(new TableColumn("valid ELBO").RightAligned());
        foreach (var r in s.Running)
            table.AddRow(Markup.Escape(r.Label), Markup.Escape(r.Host), $"{r.Epoch}/{r.Epochs}", r.Elbo is { } e ? e.ToString("F2") : "-");
        if (s.Running.Count == 0) table.AddRow("-", "-", "-", "-");
        // The summary above the table, not as its title: a title wraps to the table's width.
        return new Rows(new Text(Summary(s)), table);
    }

    /// <summary>m:ss, h:mm:ss, or with whole days in front ("41d 16:53:20"): h in a TimeSpan format drops the days.</summary>
    public static string Format(TimeSpan t) => t.TotalDays >= 1
        ? $"{(long)t.TotalDays}d {t.ToString(@"hh\:mm\:ss", System.Globalization.CultureInfo.InvariantCulture)}"
        : t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss", System.Globalization.CultureInfo.InvariantCulture) : t.ToString(@"m\:ss", System.Globalization.CultureInfo.InvariantCulture);
}
