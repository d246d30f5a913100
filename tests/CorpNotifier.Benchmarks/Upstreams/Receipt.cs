using System.Diagnostics;

namespace CorpNotifier.Benchmarks.Upstreams;

/// <summary>One letter a stand-in accepted: what names it, and when (<see cref="Moment"/>).</summary>
public sealed record Receipt(string Key, long Timestamp);

/// <summary>
/// The benchmark's one clock: a monotonic timestamp taken wherever something happens (a publish, a
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
