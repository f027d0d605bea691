using System.Globalization;
using System.Text;

namespace VaeSweep.Client.Progress;

/// <summary>
/// One frame of the live display as plain lines, laid out for a terminal of a given size: the summary, an overall
/// bar, then one bar per running trial (epoch of epochs, current validation ELBO). Every line is shorter than the
/// width, so nothing wraps whatever the terminal's size; trials that do not fit the height are counted, not drawn.
/// </summary>
public static class ProgressFrame
{
    private const char Full = '█';
    private const char Empty = '░';

    public static IReadOnlyList<string> Lines(SweepProgress.Snapshot s, int width, int height)
    {
        // The last column is left free: a character there makes some terminals wrap at once.
        var room = Math.Max(20, width - 1);
        var lines = new List<string> { Fit(Header(s), room) };

        var percent = (s.Fraction * 100).ToString("F0", CultureInfo.InvariantCulture).PadLeft(3) + "%";
        var clock = $"{ProgressView.Format(s.Elapsed)} elapsed{(s.Eta is { } eta ? $", eta {ProgressView.Format(eta)}" : "")}";
        var tail = $" {percent}  {clock}";
        lines.Add(Fit($"{Bar(s.Fraction, Math.Max(10, room - tail.Length))}{tail}", room));

        // Two lines above, one for the "more" note below, one for the cursor's line.
        var rowsFree = Math.Max(1, height - lines.Count - 2);
        var shown = s.Running.Count <= rowsFree ? s.Running.Count : rowsFree - 1;
        for (var i = 0; i < shown; i++) lines.Add(TrialLine(s.Running[i], room));
        if (shown < s.Running.Count) lines.Add(Fit($"… and {s.Running.Count - shown} more running", room));
        return lines;
    }

    /// <summary>The counts, short enough for 80 columns: failures only when there are some.</summary>
    private static string Header(SweepProgress.Snapshot s)
    {
        var text = new StringBuilder($"{s.Sweep}: {s.Finished + s.Pruned}/{s.Total} done");
        if (s.Pruned > 0) text.Append($" ({s.Pruned} pruned)");
        text.Append($", {s.Running.Count} running, {s.Waiting} waiting");
        if (s.Failed > 0) text.Append($", {s.Failed} failed");
        if (s.Diverged > 0) text.Append($", {s.Diverged} diverged");
        return text.ToString();
    }

    /// <summary>
    /// "545fa6e139afd86d (activation=relu, lr=0.001)" as "545fa6e1 activation=relu lr=0.001": the swept values are
    /// what tells running trials apart, so the id gives them room (eight characters still name a trial uniquely here).
    /// </summary>
    public static string Compact(string label)
    {
        var open = label.IndexOf(" (", StringComparison.Ordinal);
        if (open < 0 || !label.EndsWith(')')) return label;
        var id = label[..open];
        var values = label[(open + 2)..^1].Replace(", ", " ", StringComparison.Ordinal);
        return $"{id[..Math.Min(8, id.Length)]} {values}";
    }

    private static string TrialLine(SweepProgress.RunningRow r, int room)
    {
        var epochs = $"epoch {r.Epoch}/{r.Epochs}";
        var elbo = r.Elbo is { } e ? $"ELBO {e.ToString("F1", CultureInfo.InvariantCulture)}" : "";
        var numbers = $" {epochs,-13} {elbo,-14}";
        // The label gets what the numbers and a bar of at least 10 leave, up to 40 characters; the bar the rest.
        var label = Math.Clamp(room - numbers.Length - 11, 8, 48);
        var bar = Math.Max(4, room - label - 1 - numbers.Length);
        var fraction = r.Epochs == 0 ? 1 : (double)r.Epoch / r.Epochs;
        return Fit($"{Fit(Compact(r.Label), label).PadRight(label)} {Bar(fraction, bar)}{numbers}".TrimEnd(), room);
    }

    private static string Bar(double fraction, int width)
    {
        var filled = (int)Math.Round(Math.Clamp(fraction, 0, 1) * width);
        return new StringBuilder(width).Append(Full, filled).Append(Empty, width - filled).ToString();
    }

    /// <summary>Cut to <paramref name="room"/> characters, marking the cut with an ellipsis.</summary>
    public static string Fit(string text, int room) => text.Length <= room ? text : room <= 1 ? text[..room] : text[..(room - 1)] + "…";
}
