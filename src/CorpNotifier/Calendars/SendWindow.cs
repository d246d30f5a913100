using NodaTime;

namespace CorpNotifier.Calendars;

/// <summary>On which days a send window opens.</summary>
public enum SendDays
{
    /// <summary>Every day of the week, holidays included.</summary>
    AnyDay,

    /// <summary>The business days of the recipient's country (<see cref="BusinessCalendar.IsBusinessDay"/>).</summary>
    BusinessDays,
}

/// <summary>
/// The local hours a letter may go out, in the recipient's time zone: from <see cref="Start"/> (inclusive)
/// to <see cref="End"/> (exclusive), on the days <see cref="Days"/> names. A window never spans midnight:
/// <see cref="Start"/> is before <see cref="End"/> (<see cref="Problems()"/> says so when it is not).
/// </summary>
public sealed record SendWindow(LocalTime Start, LocalTime End, SendDays Days)
{
    /// <summary>09:00–19:00 on business days: the window of every client letter with a delay.</summary>
    public static SendWindow Default { get; } = new(new LocalTime(9, 0), new LocalTime(19, 0), SendDays.BusinessDays);

    /// <summary>Whether the local time of day is inside the hours (the day is not checked).</summary>
    public bool Contains(LocalTime time) => time >= Start && time < End;

    /// <summary>What is wrong with a window, each naming its field; empty when it can be used.</summary>
    public static IReadOnlyList<string> Problems(LocalTime start, LocalTime end, SendDays days)
    {
        var problems = new List<string>();
        if (start >= end)
        {
            problems.Add($"end: the window must end after it starts ({start:HH:mm} to {end:HH:mm}).");
        }

        if (!Enum.IsDefined(days))
        {
            problems.Add($"days: '{days}' is not one of {string.Join(", ", Enum.GetNames<SendDays>())}.");
        }

        return problems;
    }

    /// <summary>What is wrong with this window (<see cref="Problems(LocalTime, LocalTime, SendDays)"/>).</summary>
    public IReadOnlyList<string> Problems() => Problems(Start, End, Days);

    /// <summary>The window as people write it: <c>09:00–19:00 business days</c>.</summary>
    public override string ToString() =>
        $"{Start:HH:mm}–{End:HH:mm} {(Days == SendDays.BusinessDays ? "business days" : "any day")}";
}
