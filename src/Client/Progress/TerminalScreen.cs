using System.Text;

namespace VaeSweep.Client.Progress;

/// <summary>
/// Draws whole frames on the terminal's alternate screen, the way full-screen programs do: each frame replaces
/// the last from the top-left corner, so a resize can never leave a torn frame behind, and leaving restores the
/// screen as it was before, so nothing of the display stays in the scrollback. The cursor is hidden meanwhile.
/// </summary>
public sealed class TerminalScreen(TextWriter terminal) : IDisposable
{
    private const string Escape = "\u001b[";
    private bool entered;

    public void Enter()
    {
        if (entered) return;
        entered = true;
        terminal.Write($"{Escape}?1049h{Escape}?25l");
        terminal.Flush();
    }

    /// <summary>Replaces the screen's contents with <paramref name="lines"/>, each already shorter than the width.</summary>
    public void Draw(IReadOnlyList<string> lines)
    {
        var frame = new StringBuilder($"{Escape}H");
        foreach (var line in lines) frame.Append(line).Append($"{Escape}K\r\n");
        frame.Append($"{Escape}J");
        terminal.Write(frame.ToString());
        terminal.Flush();
    }

    public void Dispose()
    {
        if (!entered) return;
        entered = false;
        terminal.Write($"{Escape}?25h{Escape}?1049l");
        terminal.Flush();
    }
}
