namespace VaeSweep.Silo;

/// <summary>The cluster cannot take work: its membership store is unreachable, or it has no silo.</summary>
public sealed class ClusterException(ClusterProblem problem, string message, Exception? inner = null) : Exception(message, inner)
{
    public ClusterProblem Problem { get; } = problem;
}

public enum ClusterProblem
{
    /// <summary>Redis did not answer.</summary>
    Unreachable,

    /// <summary>Redis answered, but no silo of the cluster is alive.</summary>
    NoSilos,
}
