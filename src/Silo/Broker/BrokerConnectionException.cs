namespace VaeSweep.Silo.Broker;

/// <summary>
/// The broker could not be reached, refused the credentials, or did not answer the handshake in time.
/// The message is meant for the user as it is and never contains a password.
/// </summary>
public sealed class BrokerConnectionException(string message, Exception? inner = null) : Exception(message, inner);
