namespace VaeSweep.Client.Commands;

/// <summary>Broker addresses as they may be shown: never with a password.</summary>
internal static class BrokerUris
{
    public static string Redact(string uri) =>
        Uri.TryCreate(uri, UriKind.Absolute, out var u) && u.UserInfo.Length > 0
            ? new UriBuilder(u) { UserName = Uri.EscapeDataString(u.UserInfo.Split(':')[0]), Password = "" }.Uri.ToString()
            : uri;
}
