namespace VaeSweep.Client.Search;

/// <summary>A finished trial as the TPE sees it: its point and its objective, higher is better.</summary>
/// <param name="Objective">NaN or −∞ for a trial that diverged or failed: ranked below every other.</param>
internal sealed record ScoredPoint(double[] Point, double Objective);
