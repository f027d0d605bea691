namespace VaeSweep.Model.Tests.TestSupport;

/// <summary>A clock that advances by a fixed step every time it is read.</summary>
internal sealed class SteppingTimeProvider(TimeSpan step) : TimeProvider
{
    private long _ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp()
    {
        var now = _ticks;
        _ticks += step.Ticks;
        return now;
    }
}
