using System.Runtime.InteropServices;
using VaeSweep.Model.Randomness;

namespace VaeSweep.Model.Checkpoints;

/// <summary>
/// The payload both engines checkpoint inside <see cref="CheckpointEnvelope"/>: epoch (int32), Adam steps (int64), the
/// training RNG's state, the parameter count P (int32), then the weights, Adam's first and second moments as raw
/// little-endian floats [P] each. One layout, so <see cref="TrainedVae.WeightsOnly"/> reads either engine's checkpoint;
/// the envelope's fingerprint keeps a checkpoint on the engine that wrote it.
/// </summary>
internal static class TrainingState
{
    /// <param name="arrays">Weights, first moment, second moment; each of length P.</param>
    public static byte[] Save(string fingerprint, int epochs, long steps, Xoshiro256StarStar rng, ReadOnlySpan<float[]> arrays)
    {
        var count = arrays[0].Length;
        var length = sizeof(int) + sizeof(long) + Xoshiro256StarStar.StateBytes + sizeof(int) + (long)arrays.Length * count * sizeof(float);
        if (length > Array.MaxLength - 1024) throw new InvalidOperationException($"a checkpoint of {count} parameters does not fit one array");
        var state = arrays.ToArray();
        return CheckpointEnvelope.Wrap(fingerprint, (int)length, stream =>
        {
            using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            writer.Write(epochs);
            writer.Write(steps);
            rng.WriteState(writer);
            writer.Write(count);
            writer.Flush();
            // Raw float bytes in the machine's (little-endian) order: exact, and as fast as a copy.
            foreach (var array in state) stream.Write(MemoryMarshal.AsBytes(array.AsSpan()));
        });
    }

    /// <summary>Fills <paramref name="rng"/> and <paramref name="arrays"/> from a checkpoint; returns its epoch and step counts.</summary>
    /// <exception cref="CheckpointException">Version, checksum, configuration or engine mismatch, or a malformed payload.</exception>
    public static (int Epochs, long Steps) Restore(ReadOnlySpan<byte> checkpoint, string fingerprint, Xoshiro256StarStar rng, ReadOnlySpan<float[]> arrays)
    {
        var payload = CheckpointEnvelope.Unwrap(checkpoint, fingerprint);
        try
        {
            using var reader = new BinaryReader(new MemoryStream(payload.ToArray()));
            var epochs = reader.ReadInt32();
            var steps = reader.ReadInt64();
            rng.ReadState(reader);
            var count = reader.ReadInt32();
            if (count != arrays[0].Length)
                throw new CheckpointException($"checkpoint holds {count} parameters, the model has {arrays[0].Length}");
            foreach (var array in arrays) reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(array.AsSpan()));
            if (reader.BaseStream.Position != reader.BaseStream.Length)
                throw new CheckpointException($"checkpoint has {reader.BaseStream.Length - reader.BaseStream.Position} unexpected bytes after the state");
            if (epochs < 0 || steps < 0)
                throw new CheckpointException($"checkpoint is malformed: epoch {epochs}, step {steps}");
            return (epochs, steps);
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException)
        {
            throw new CheckpointException($"checkpoint is malformed: {e.Message}");
        }
    }
}
