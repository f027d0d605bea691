namespace VaeSweep.Client.Scheduling.Stopping;

/// <summary>
/// Median stopping (Golovin et al. 2017, "Google Vizier", §3.2.2): from the grace epoch on, at every epoch, a trial
/// whose best score so far is below the median of the earlier trials' running means up to that epoch is stopped.
/// </summary>
internal sealed class MedianRule(int grace) : IStoppingRule
{
    public string Name => "median";

    public IReadOnlyList<int> Rungs(int epochs) => grace >= epochs ? [] : Enumerable.Range(grace, epochs - grace).ToList();

    public double Score(IReadOnlyList<double> curve, int rung) => curve.Take(rung).Select(Scores.Orderable).Max();

    public double Reference(IReadOnlyList<double> curve, int rung) => curve.Take(rung).Select(Scores.Orderable).Average();

    public double Cutoff(double score, IReadOnlyList<double> references)
    {
        var sorted = references.Select(Scores.Orderable).Order().ToList();
        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
