namespace VaeSweep.Grains;

/// <summary>What a silo tells about itself: the name its trials report as their host, and its capacity.</summary>
/// <param name="Slots">Trials that train at once on this silo; at least 1.</param>
public sealed record SiloIdentity(string Name, string Host, int Slots)
{
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name)) throw new ArgumentException("name: must not be empty", nameof(Name));
        if (Slots < 1) throw new ArgumentOutOfRangeException(nameof(Slots), Slots, "slots: must be at least 1");
    }
}
