namespace CorpNotifier.Tests.Integration;

/// <summary>
/// The real clock plus an offset the test moves forward: time passes as usual (so timers and the
/// sweeper's cadence behave as in production) and a test jumps days ahead with <see cref="Advance"/>.
/// </summary>
public sealed class TestClock : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow().AddTicks(Interlocked.Read(ref _offsetTicks));

    /// <summary>
    /// Puts the clock at <paramref name="moment"/>, before or after the real now: for a test about a
    /// particular date and hour. Only before the host starts (time then only moves forward).
    /// </summary>
    public void SetTo(DateTimeOffset moment) =>
        Interlocked.Exchange(ref _offsetTicks, (moment - base.GetUtcNow()).Ticks);

    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        Interlocked.Add(ref _offsetTicks, by.Ticks);
    }
}
