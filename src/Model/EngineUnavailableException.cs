namespace VaeSweep.Model;

/// <summary>The configured engine cannot run in this process; the message names the cause.</summary>
public sealed class EngineUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
