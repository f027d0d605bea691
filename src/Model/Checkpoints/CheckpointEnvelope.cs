using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace VaeSweep.Model.Checkpoints;

/// <summary>
/// The checkpoint container: magic "VAESWCKP", format version (int32 LE), fingerprint (length-prefixed UTF-8),
/// payload (length-prefixed), then SHA-256 of everything before it. Checked in that order, so the message names
/// the first thing that is wrong.
/// </summary>
internal static class CheckpointEnvelope
{
    public const int Version = 1;
    private static ReadOnlySpan<byte> Magic => "VAESWCKP"u8;

    /// <summary>The same container holding final weights only (no optimiser state, not resumable).</summary>
    public static ReadOnlySpan<byte> WeightsMagic => "VAESWWTS"u8;
    private const int HashBytes = 32;

    public static bool HasMagic(ReadOnlySpan<byte> bytes) => bytes.StartsWith(Magic);

    public static byte[] Wrap(string fingerprint, ReadOnlySpan<byte> payload) => Wrap(fingerprint, payload, Magic);

    public static ReadOnlySpan<byte> Unwrap(ReadOnlySpan<byte> bytes, string expectedFingerprint) =>
        Unwrap(bytes, expectedFingerprint, Magic);

    /// <summary>The fingerprint and payload of a checkpoint, checked (magic, version, checksum) but for any configuration.</summary>
    public static (string Fingerprint, byte[] Payload) Open(ReadOnlySpan<byte> bytes)
    {
        Unwrap(bytes, null, Magic, out var fingerprint, out var payload);
        return (fingerprint, payload.ToArray());
    }

    public static byte[] Wrap(string fingerprint, ReadOnlySpan<byte> payload, ReadOnlySpan<byte> magic)
    {
        var text = Encoding.UTF8.GetBytes(fingerprint);
        var length = magic.Length + 4 + 4 + text.Length + 8 + payload.Length + HashBytes;
        var bytes = new byte[length];
        var span = bytes.AsSpan();
        magic.CopyTo(span);
        var at = magic.Length;
        BinaryPrimitives.WriteInt32LittleEndian(span[at..], Version);
        at += 4;
        BinaryPrimitives.WriteInt32LittleEndian(span[at..], text.Length);
        at += 4;
        text.CopyTo(span[at..]);
        at += text.Length;
        BinaryPrimitives.WriteInt64LittleEndian(span[at..], payload.Length);
        at += 8;
        payload.CopyTo(span[at..]);
        at += payload.Length;
        SHA256.HashData(span[..at], span[at..]);
        return bytes;
    }

    /// <summary>Returns the payload of a checkpoint written for <paramref name="expectedFingerprint"/>.</summary>
    /// <exception cref="CheckpointException">Not a checkpoint, other version, corrupt, or another configuration.</exception>
    public static ReadOnlySpan<byte> Unwrap(ReadOnlySpan<byte> bytes, string expectedFingerprint, ReadOnlySpan<byte> magic)
    {
        Unwrap(bytes, expectedFingerprint, magic, out _, out var payload);
        return payload;
    }

    // expectedFingerprint null: accept any configuration (the caller only reads the payload's layout).
    private static void Unwrap(ReadOnlySpan<byte> bytes, string? expectedFingerprint, ReadOnlySpan<byte> magic, out string fingerprint, out ReadOnlySpan<byte> payload)
    {
        if (bytes.Length < magic.Length + 4 || !bytes[..magic.Length].SequenceEqual(magic))
            throw new CheckpointException($"not a VaeSweep checkpoint ({bytes.Length} bytes, no \"{Encoding.ASCII.GetString(magic)}\" header)");
        var version = BinaryPrimitives.ReadInt32LittleEndian(bytes[magic.Length..]);
        if (version != Version)
            throw new CheckpointException($"checkpoint format version {version} is not supported (this engine reads version {Version})");
        if (bytes.Length < magic.Length + 4 + 4 + 8 + HashBytes)
            throw new CheckpointException($"checkpoint is truncated: {bytes.Length} bytes");
        var body = bytes[..^HashBytes];
        Span<byte> hash = stackalloc byte[HashBytes];
        SHA256.HashData(body, hash);
        if (!hash.SequenceEqual(bytes[^HashBytes..]))
            throw new CheckpointException($"checkpoint is corrupt: SHA-256 checksum mismatch over {body.Length} bytes");

        var at = magic.Length + 4;
        var textLength = BinaryPrimitives.ReadInt32LittleEndian(body[at..]);
        at += 4;
        if (textLength < 0 || textLength > body.Length - at - 8)
            throw new CheckpointException($"checkpoint is malformed: fingerprint length {textLength}");
        var saved = Encoding.UTF8.GetString(body.Slice(at, textLength));
        at += textLength;
        fingerprint = saved;
        if (expectedFingerprint is not null && RunFingerprint.EngineOf(saved) is var writer
            && writer != RunFingerprint.EngineOf(expectedFingerprint))
            throw new CheckpointException(
                $"checkpoint was written by the {writer} engine and resumes only on it; this trial runs on the " +
                $"{RunFingerprint.EngineOf(expectedFingerprint)} engine");
        if (expectedFingerprint is not null && saved != expectedFingerprint)
            throw new CheckpointException(
                $"checkpoint was written for a different configuration or dataset: {RunFingerprint.Difference(saved, expectedFingerprint)}");
        var payloadLength = BinaryPrimitives.ReadInt64LittleEndian(body[at..]);
        at += 8;
        if (payloadLength != body.Length - at)
            throw new CheckpointException($"checkpoint is malformed: payload length {payloadLength}, {body.Length - at} bytes present");
        payload = body[at..];
    }
}
