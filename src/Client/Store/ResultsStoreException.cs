namespace VaeSweep.Client.Store;

/// <summary>
/// A results-database problem the user can act on: a missing or unknown sweep or trial, a database newer
/// than this program, a refused read-only query, a stale or impossible attempt. The message names what and where.
/// </summary>
public sealed class ResultsStoreException : Exception
{
    public ResultsStoreException(string message) : base(message) { }

    public ResultsStoreException(string message, Exception inner) : base(message, inner) { }
}
