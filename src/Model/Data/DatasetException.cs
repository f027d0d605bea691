namespace VaeSweep.Model.Data;

/// <summary>A dataset file is missing or malformed. The message names the file and what was wrong.</summary>
public sealed class DatasetException(string message, Exception? inner = null) : Exception(message, inner);
