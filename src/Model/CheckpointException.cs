namespace VaeSweep.Model;

/// <summary>A checkpoint could not be read: wrong version, bad checksum, or a different configuration.</summary>
public sealed class CheckpointException(string message) : Exception(message);
