namespace VaeSweep.Client.Scheduling;

public enum SweepOutcome
{
    /// <summary>Every trial finished.</summary>
    Finished,
    /// <summary>Every trial ended, some failed or diverged.</summary>
    SomeFailed,
    /// <summary>Another process cancelled the sweep.</summary>
    Cancelled,
}
