namespace VaeSweep.Client.Search;

/// <summary>An ended trial as the TPE sees it: its point and how good it was, higher is better.</summary>
internal sealed record ScoredPoint(double[] Point, SearchScore Score);
