using CorpNotifier.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CorpNotifier.Calendars;

/// <summary>
/// What changes whenever a stored calendar year changes: versions only grow, so their sum grows with every
/// edit or import, and the count grows with every year stored for the first time.
/// </summary>
public readonly record struct CalendarStamp(int Count, long VersionSum);

/// <summary>
/// The instance's record of the stored calendar years it has put in place in <see cref="BusinessCalendars"/>:
/// the table's stamp it last read, and each year's version. Shared by the instance's scopes.
/// </summary>
public sealed class StoredCalendarsState
{
    private readonly Dictionary<(string Country, int Year), int> _applied = [];

    internal SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>Held while a year is compared with the one in place and put there, so an older read never replaces a newer year.</summary>
    internal Lock Sync { get; } = new();

    /// <summary>The stamp of the table when last read; null before the first read.</summary>
    public CalendarStamp? Stamp { get; private set; }

    /// <summary>Under <see cref="Sync"/>: whether this version of the year, or a newer one, is in place.</summary>
    internal bool IsApplied(CalendarYearRecord row) =>
        _applied.TryGetValue((row.Country, row.Year), out var version) && version >= row.Version;

    /// <summary>Under <see cref="Sync"/>.</summary>
    internal void Applied(CalendarYearRecord row) => _applied[(row.Country, row.Year)] = row.Version;

    internal void Read(CalendarStamp stamp) => Stamp = stamp;
}

/// <summary>
/// The calendar years admins edited or imported (<c>calendar_years</c>) and their place in the instance's
/// <see cref="BusinessCalendars"/>: <see cref="RefreshAsync"/> reads the table's stamp (one aggregate row) and
/// the rows themselves only when it moved, and puts every year newer than the one in place over the shipped
/// data or the package's holidays.
/// </summary>
public sealed partial class StoredCalendars(
    NoticesDbContext db,
    BusinessCalendars calendars,
    StoredCalendarsState state,
    ILogger<StoredCalendars> logger)
{
    /// <summary>Puts in place what was stored since the last refresh; true when a year changed.</summary>
    public async Task<bool> RefreshAsync(CancellationToken cancellationToken)
    {
        var stamp = await db.CalendarYears
            .GroupBy(_ => 1)
            .Select(g => new CalendarStamp(g.Count(), g.Sum(c => (long)c.Version)))
            .SingleOrDefaultAsync(cancellationToken);
        if (state.Stamp == stamp)
        {
            return false;
        }

        await state.Gate.WaitAsync(cancellationToken);
        try
        {
            // Read after the stamp: an edit in between makes these newer than the stamp, and the next
            // refresh, seeing a stamp that moved, reads them again (already applied years are skipped).
            var rows = await db.CalendarYears.AsNoTracking().ToListAsync(cancellationToken);
            var changed = false;
            foreach (var row in rows)
            {
                changed |= Apply(row);
            }

            state.Read(stamp);
            return changed;
        }
        finally
        {
            state.Gate.Release();
        }
    }

    /// <summary>Puts one stored year in place now, unless that version or a newer one is (the instance that saved it does not wait for its refresh).</summary>
    public bool Apply(CalendarYearRecord row)
    {
        ArgumentNullException.ThrowIfNull(row);
        IReadOnlyList<string> problems;
        lock (state.Sync)
        {
            if (state.IsApplied(row))
            {
                return false;
            }

            problems = calendars.Replace(row.ToCalendar());
            state.Applied(row);
        }

        if (problems.Count > 0)
        {
            // Saved rows were checked on the way in; one that does not read is someone's hand in the table.
            LogInvalidRow(row.Country, row.Year, row.Version, string.Join(" ", problems));
            return false;
        }

        LogApplied(row.Country, row.Year, row.Version, row.Origin, row.UpdatedBy);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Calendar {Country} {Year} version {Version} ({Origin} by {UpdatedBy}) is in place")]
    private partial void LogApplied(string country, int year, int version, string origin, string updatedBy);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stored calendar {Country} {Year} version {Version} is invalid and was left out: {Problems}")]
    private partial void LogInvalidRow(string country, int year, int version, string problems);
}
