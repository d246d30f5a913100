using System.Diagnostics;

namespace CorpNotifier.TestHosting;

/// <summary>One letter a stand-in accepted: the key that names it, and when it arrived (a <see cref="Moment"/> timestamp).</summary>
public sealed record Receipt(string Key, long Timestamp);

/// <summary>
/// One clock for a whole run: a monotonic timestamp taken wherever something happens (a publish, a
/// receipt), turned into wall time against one reference read at start, so a moment the service
/// stored (a due time, a received-at) compares with it.
/// </summary>
public static class Moment
{
    private static readonly long ReferenceTimestamp = Stopwatch.GetTimestamp();
    private static readonly DateTimeOffset ReferenceWall = DateTimeOffset.UtcNow;

    public static long Now => Stopwatch.GetTimestamp();

    public static DateTimeOffset ToWall(long timestamp) => ReferenceWall + Stopwatch.GetElapsedTime(ReferenceTimestamp, timestamp);

    public static long FromWall(DateTimeOffset wall) => ReferenceTimestamp + (long)((wall - ReferenceWall).TotalSeconds * Stopwatch.Frequency);

    public static double Milliseconds(long from, long to) => Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;
}
