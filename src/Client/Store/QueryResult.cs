namespace VaeSweep.Client.Store;

/// <summary>
/// A result set as column names and rows of plain values (null, long, double, string, byte[], bool),
/// ready for the table, JSON and CSV writers.
/// </summary>
/// <param name="Truncated">True when more rows existed than the caller's limit allowed.</param>
public sealed record QueryResult(
    IReadOnlyList<string> Columns,
    IReadOnlyList<IReadOnlyList<object?>> Rows,
    bool Truncated = false);
