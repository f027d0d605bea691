namespace VaeSweep.Client.Ranking;

/// <summary>Which way a metric is better.</summary>
public enum Direction
{
    Maximize,
    Minimize,
}
