namespace CorpNotifier.Tests.Integration;

/// <summary>
/// The real clock plus an offset the test moves forward: time passes as usual (so timers and the
/// sweeper's cadence behave as in production) and a test jumps days ahead with <see cref="Advance"/>.
/// </summary>
public sealed class TestClock : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow().AddTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        Interlocked.Add(ref _offsetTicks, by.Ticks);
    }
}
