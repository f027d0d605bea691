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

    /// <summary>The payload of a checkpoint, and its fingerprint, checked (magic, version, checksum) but for any configuration.</summary>
    public static ReadOnlySpan<byte> Open(ReadOnlySpan<byte> bytes, out string fingerprint)
    {
        Unwrap(bytes, null, Magic, out fingerprint, out var payload);
        return payload;
    }

    public static byte[] Wrap(string fingerprint, ReadOnlySpan<byte> payload, ReadOnlySpan<byte> magic)
    {
        var (bytes, at) = Prepare(fingerprint, payload.Length, magic);
        payload.CopyTo(bytes.AsSpan(at));
        return Seal(bytes);
    }

    /// <summary>
    /// The container of a <paramref name="payloadLength"/>-byte payload that <paramref name="write"/> writes straight
    /// into it (through a fixed-size stream over its slot): a checkpoint is megabytes, written every epoch, and this way
    /// it is allocated once instead of once in a growing buffer and again here.
    /// </summary>
    /// <exception cref="InvalidOperationException"><paramref name="write"/> wrote a different number of bytes.</exception>
    public static byte[] Wrap(string fingerprint, int payloadLength, Action<Stream> write)
    {
        var (bytes, at) = Prepare(fingerprint, payloadLength, Magic);
        using (var stream = new MemoryStream(bytes, at, payloadLength, writable: true))
        {
            write(stream);
            if (stream.Position != payloadLength)
                throw new InvalidOperationException($"checkpoint payload: {stream.Position} bytes written, {payloadLength} announced");
        }
        return Seal(bytes);
    }

    /// <summary>A container with its header written and room for the payload (at the returned offset) and the checksum.</summary>
    private static (byte[] Bytes, int PayloadAt) Prepare(string fingerprint, int payloadLength, ReadOnlySpan<byte> magic)
    {
        var text = Encoding.UTF8.GetBytes(fingerprint);
        var length = magic.Length + 4 + 4 + text.Length + 8 + payloadLength + HashBytes;
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
        BinaryPrimitives.WriteInt64LittleEndian(span[at..], payloadLength);
        at += 8;
        return (bytes, at);
    }

    /// <summary>Writes the SHA-256 of everything before it into the container's last bytes.</summary>
    private static byte[] Seal(byte[] bytes)
    {
        var span = bytes.AsSpan();
        SHA256.HashData(span[..^HashBytes], span[^HashBytes..]);
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
