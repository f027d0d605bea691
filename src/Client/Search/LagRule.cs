namespace VaeSweep.Client.Search;

/// <summary>
/// The determinism rule of adaptive sweeps: trial n (0-based) is proposed from the results of trials 0..n − lag,
/// waiting for them, and counts trials n − lag + 1..n − 1 as pending whether or not they have finished. What a
/// proposal sees is then fixed by n alone, never by timing, so slots, silos and interruptions cannot change it; at
/// most <c>lag</c> trials run at once.
/// </summary>
public static class LagRule
{
    /// <summary>The trials whose results trial <paramref name="index"/> learns from: 0..count − 1.</summary>
    public static int LearnsFrom(int index, int lag) => Math.Max(0, index - lag + 1);

    /// <summary>Whether trial <paramref name="index"/> can be proposed once trials 0..finishedPrefix − 1 have all ended.</summary>
    public static bool Ready(int index, int lag, int startupTrials, int finishedPrefix) =>
        index < startupTrials || finishedPrefix >= LearnsFrom(index, lag);
}
