using System.Security.Cryptography;
using System.Text;
using VaeSweep.Model;

namespace VaeSweep.Client.Spec;

/// <summary>
/// A trial's identity: the SHA-256 (lower-case hex, 64 characters) of its canonical JSON. Two specs that
/// resolve to the same configuration and dataset give the same id, however they are written.
/// </summary>
public static class TrialIdentity
{
    /// <summary>Characters of an id shown to people; the full id is what gets stored.</summary>
    public const int ShortLength = 16;

    public static string Of(TrialConfig config, DatasetSpec dataset) => Sha256Hex(CanonicalTrialJson.Write(config, dataset));

    /// <summary>SHA-256 of the UTF-8 bytes of <paramref name="text"/>, lower-case hex. Also used for spec texts.</summary>
    public static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    public static string Short(string id) => id.Length <= ShortLength ? id : id[..ShortLength];
}
