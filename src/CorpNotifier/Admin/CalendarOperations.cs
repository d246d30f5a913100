using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CorpNotifier.Calendars;
using CorpNotifier.Hosting;
using CorpNotifier.Persistence;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Text;

namespace CorpNotifier.Admin;

/// <summary>
/// An admin's edit or import of a country's calendar year, for the admin API and the console alike: who may
/// (admins), on top of which version (optimistic concurrency; an import is the authority and replaces any),
/// by which rules (each refusal naming its field), its audit record in the same transaction, the year put in
/// place on this instance at once (the others within <see cref="SendWindowsOptions.CalendarRefresh"/>), and
/// the pending letters of the country planned again on it (<see cref="CalendarReplanner"/>).
/// </summary>
public sealed partial class CalendarOperations(
    NoticesDbContext db,
    BusinessCalendars calendars,
    StoredCalendars stored,
    CalendarReplanner replanner,
    TimeProvider time,
    ILogger<CalendarOperations> logger)
{
    public const string AdminsOnly = "Only admins may change calendars.";

    /// <summary>The largest calendar file an import reads (a year of days with notes is a few kilobytes).</summary>
    public const int MaxFileBytes = 1024 * 1024;

    private const int MaxNote = 500;
    private const int MaxSource = 4000;

    private static readonly JsonSerializerOptions FileJson = new(JsonSerializerDefaults.Web) { AllowTrailingCommas = true, ReadCommentHandling = JsonCommentHandling.Skip };

    /// <summary>
    /// Saves a year edited by hand: <paramref name="expectedVersion"/> is the version the editor read (0 for a
    /// year never stored). Audited with <paramref name="actor"/> and <paramref name="reason"/>.
    /// </summary>
    public async Task<CalendarResult> SaveAsync(string country, int year, CalendarYearBody body, int expectedVersion, Actor actor, string? reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.MayAdminister)
        {
            LogRefused(AuditActions.UpdateCalendar, actor.Name, actor.Role);
            return new CalendarResult.Forbidden(AdminsOnly);
        }

        var errors = Check(country, year, body, out var calendar);
        if (errors.Count > 0)
        {
            return new CalendarResult.Invalid(errors);
        }

        return await StoreAsync(calendar!, expectedVersion, CalendarYearRecord.Edited, actor, reason, cancellationToken);
    }

    /// <summary>
    /// A year as a file in the shipped data format (<c>Calendars/Data/rus-2026.json</c>: country, year, source,
    /// daysOff, workingDays): it replaces that country's year whatever its version (the file is the
    /// authority), audited as an import.
    /// </summary>
    public async Task<CalendarResult> ImportAsync(Stream file, Actor actor, string? reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.MayAdminister)
        {
            LogRefused(AuditActions.ImportCalendar, actor.Name, actor.Role);
            return new CalendarResult.Forbidden(AdminsOnly);
        }

        CalendarFile? parsed;
        try
        {
            using var limited = new MemoryStream();
            var buffer = new byte[81920];
            int read;
            while ((read = await file.ReadAsync(buffer, cancellationToken)) > 0)
            {
                if (limited.Length + read > MaxFileBytes)
                {
                    return Invalid("file", $"is larger than {MaxFileBytes / 1024} KB; a calendar year is a few kilobytes", $"больше {MaxFileBytes / 1024} КБ; календарь на год занимает несколько килобайт");
                }

                limited.Write(buffer, 0, read);
            }

            parsed = JsonSerializer.Deserialize<CalendarFile>(limited.ToArray(), FileJson);
        }
        catch (JsonException e)
        {
            return Invalid(
                "file",
                $"is not a calendar file ({(string.IsNullOrEmpty(e.Path) ? "" : $"at {e.Path}: ")}{e.Message})",
                $"не файл календаря ({(string.IsNullOrEmpty(e.Path) ? "" : $"в {e.Path}: ")}{e.Message})");
        }

        if (parsed is null)
        {
            return Invalid("file", "is empty: a calendar file is a JSON object with country, year, source, daysOff, workingDays", "пуст: файл календаря — объект JSON с полями country, year, source, daysOff, workingDays");
        }

        if (parsed.Year is not { } year)
        {
            return Invalid("year", "is required", "обязателен");
        }

        var errors = Check(parsed.Country, year, new CalendarYearBody(parsed.Source, parsed.DaysOff, parsed.WorkingDays), out var calendar);
        if (errors.Count > 0)
        {
            return new CalendarResult.Invalid(errors);
        }

        return await StoreAsync(calendar!, expectedVersion: null, CalendarYearRecord.Imported, actor, reason, cancellationToken);
    }

    /// <summary>
    /// The rules of a year: the country a lowercase alpha-3 code, the year in range, a source, every date a
    /// <c>yyyy-MM-dd</c> date of that year listed once, no day both off and working, notes of reasonable length.
    /// Keys as in the body (<c>daysOff[2]</c>); the calendar to save when there is no error.
    /// </summary>
    public static IReadOnlyList<FieldError> Check(string? country, int year, CalendarYearBody body, out CountryCalendar? calendar)
    {
        ArgumentNullException.ThrowIfNull(body);
        calendar = null;
        var errors = new List<FieldError>();
        var code = CalendarKeys.Country(country);
        if (code is null)
        {
            errors.Add(new("country", $"'{country}' is not a lowercase ISO 3166 alpha-3 code such as rus", $"«{country}» — не код страны ISO 3166 alpha-3, например rus"));
        }

        if (!CalendarKeys.IsYear(year))
        {
            errors.Add(new("year", $"{year} is out of range ({CalendarKeys.FirstYear}–{CalendarKeys.LastYear})", $"{year} вне диапазона ({CalendarKeys.FirstYear}–{CalendarKeys.LastYear})"));
        }

        if (string.IsNullOrWhiteSpace(body.Source))
        {
            errors.Add(new("source", "is required: say where the facts come from (the law, the decree's number and date)", "обязателен: укажите, откуда сведения (закон, номер и дата постановления)"));
        }
        else if (body.Source.Length > MaxSource)
        {
            errors.Add(new("source", $"is longer than {MaxSource} characters", $"длиннее {MaxSource} символов"));
        }

        var off = Days("daysOff", body.DaysOff, year, errors);
        var working = Days("workingDays", body.WorkingDays, year, errors);
        if (off is not null && working is not null)
        {
            var offDates = off.Select(d => d.Date).ToHashSet();
            for (var i = 0; i < working.Count; i++)
            {
                if (offDates.Contains(working[i].Date))
                {
                    var date = LocalDatePattern.Iso.Format(working[i].Date);
                    errors.Add(new(Key("workingDays", working[i].Index), $"{date} is also in daysOff: a day is either off or working", $"{date} есть и в daysOff: день либо выходной, либо рабочий"));
                }
            }
        }

        if (errors.Count == 0)
        {
            calendar = new CountryCalendar(code!, year, [.. off!.Select(d => d.Day)], [.. working!.Select(d => d.Day)], body.Source!.Trim());
            foreach (var problem in calendar.Problems())
            {
                // The same rules as the shipped files; reached only if they ever say more than the checks above.
                var key = problem.Split(':', 2)[0];
                errors.Add(new(key, problem, problem));
            }

            if (errors.Count > 0)
            {
                calendar = null;
            }
        }

        return errors;
    }

    private async Task<CalendarResult> StoreAsync(CountryCalendar calendar, int? expectedVersion, string origin, Actor actor, string? reason, CancellationToken cancellationToken)
    {
        var action = origin == CalendarYearRecord.Imported ? AuditActions.ImportCalendar : AuditActions.UpdateCalendar;
        var row = await db.CalendarYears.FirstOrDefaultAsync(c => c.Country == calendar.Country && c.Year == calendar.Year, cancellationToken);
        var actual = row?.Version ?? 0;
        if (expectedVersion is { } expected && expected != actual)
        {
            return Stale(calendar, actual);
        }

        var before = row is not null ? CalendarYearView.From(row) : CalendarQueries.InForce(calendars, calendar.Country, calendar.Year);
        var now = time.GetUtcNow();
        if (row is null)
        {
            row = new CalendarYearRecord
            {
                Country = calendar.Country,
                Year = calendar.Year,
                Source = calendar.Source,
                DaysOff = CalendarYearRecord.WriteDays(calendar.DaysOff),
                WorkingDays = CalendarYearRecord.WriteDays(calendar.WorkingDays),
                Version = 1,
                Origin = origin,
                UpdatedAt = now,
                UpdatedBy = actor.Name,
            };
            db.CalendarYears.Add(row);
        }
        else
        {
            (row.Source, row.DaysOff, row.WorkingDays, row.Version, row.Origin, row.UpdatedAt, row.UpdatedBy) =
                (calendar.Source, CalendarYearRecord.WriteDays(calendar.DaysOff), CalendarYearRecord.WriteDays(calendar.WorkingDays), row.Version + 1, origin, now, actor.Name);
        }

        var view = CalendarYearView.From(row);
        var after = JsonSerializer.SerializeToNode(view, AppJson.Options)!.AsObject();
        after["reason"] = string.IsNullOrWhiteSpace(reason) ? null : JsonValue.Create(reason.Trim());

        // The year and its audit record: one transaction, all or nothing.
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            try
            {
                db.Audit.Add(new AuditRecord
                {
                    At = now,
                    Actor = actor.Name,
                    Role = actor.Role,
                    Action = action,
                    TargetType = AuditTargets.Calendar,
                    TargetId = $"{calendar.Country} {calendar.Year.ToString(CultureInfo.InvariantCulture)}",
                    Before = JsonSerializer.Serialize(before, AppJson.Options),
                    After = after.ToJsonString(AppJson.Options),
                });
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                await transaction.RollbackAsync(cancellationToken);
                db.ChangeTracker.Clear();
                return Stale(calendar, await VersionAsync(calendar, cancellationToken));
            }
            catch (DbUpdateException ex) when (ex.IsUniqueViolationOn(CalendarYearRecordConfiguration.Table))
            {
                await transaction.RollbackAsync(cancellationToken);
                db.ChangeTracker.Clear();
                return Stale(calendar, await VersionAsync(calendar, cancellationToken));
            }
            catch (Exception ex) when (ex is DbUpdateException or DbException && !DatabaseFaults.IsUnavailable(ex))
            {
                db.ChangeTracker.Clear();
                LogNotSaved(ex, action, actor.Name);
                return new CalendarResult.NotSaved(NoticeOperations.NotSaved);
            }
        }

        db.ChangeTracker.Clear();
        stored.Apply(row);
        LogSaved(action, calendar.Country, calendar.Year, row.Version, actor.Name);
        var replanned = await replanner.ReplanAsync(
            calendar.Country,
            $"re-planned after the calendar of {calendar.Country} {calendar.Year.ToString(CultureInfo.InvariantCulture)} was {(origin == CalendarYearRecord.Imported ? "imported" : "edited")}",
            cancellationToken);
        return new CalendarResult.Done(view, replanned);
    }

    private async Task<int> VersionAsync(CountryCalendar calendar, CancellationToken cancellationToken) =>
        await db.CalendarYears.AsNoTracking()
            .Where(c => c.Country == calendar.Country && c.Year == calendar.Year)
            .Select(c => (int?)c.Version)
            .FirstOrDefaultAsync(cancellationToken) ?? 0;

    private static CalendarResult.Stale Stale(CountryCalendar calendar, int actual) => new(
        actual,
        $"The calendar of {calendar.Country} {calendar.Year.ToString(CultureInfo.InvariantCulture)} is at version {actual.ToString(CultureInfo.InvariantCulture)} now; reload it and apply your change again.");

    private static CalendarResult.Invalid Invalid(string key, string message, string russian) => new([new FieldError(key, message, russian)]);

    private static string Key(string field, int index) => $"{field}[{index.ToString(CultureInfo.InvariantCulture)}]";

    private static List<(CalendarDay Day, LocalDate Date, int Index)>? Days(string field, IReadOnlyList<CalendarDayBody>? days, int year, List<FieldError> errors)
    {
        if (days is null)
        {
            errors.Add(new(field, "is required (an empty list when there are none)", "обязателен (пустой список, если дней нет)"));
            return null;
        }

        var result = new List<(CalendarDay, LocalDate, int)>();
        var seen = new HashSet<LocalDate>();
        for (var i = 0; i < days.Count; i++)
        {
            var text = days[i]?.Date?.Trim();
            var parsed = text is null ? null : LocalDatePattern.Iso.Parse(text);
            if (parsed is not { Success: true })
            {
                errors.Add(new(Key(field, i), $"'{text}' is not a date (yyyy-MM-dd)", $"«{text}» — не дата (ГГГГ-ММ-ДД)"));
                continue;
            }

            var date = parsed.Value;
            if (date.Year != year)
            {
                errors.Add(new(Key(field, i), $"{text} is outside the calendar's year {year.ToString(CultureInfo.InvariantCulture)}", $"{text} — вне года календаря {year.ToString(CultureInfo.InvariantCulture)}"));
                continue;
            }

            if (!seen.Add(date))
            {
                errors.Add(new(Key(field, i), $"{text} is listed twice", $"{text} указана дважды"));
                continue;
            }

            var note = string.IsNullOrWhiteSpace(days[i]!.Note) ? null : days[i]!.Note!.Trim();
            if (note is { Length: > MaxNote })
            {
                errors.Add(new(Key(field, i), $"the note is longer than {MaxNote} characters", $"пояснение длиннее {MaxNote} символов"));
                continue;
            }

            result.Add((new CalendarDay(date, note), date, i));
        }

        return result;
    }

    /// <summary>A calendar file as imported: the shipped data format.</summary>
    private sealed record CalendarFile(string? Country, int? Year, string? Source, List<CalendarDayBody>? DaysOff, List<CalendarDayBody>? WorkingDays);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Action {Action} refused to {Actor} ({Role})")]
    private partial void LogRefused(string action, string actor, string role);

    [LoggerMessage(Level = LogLevel.Error, Message = "Action {Action} by {Actor} was not saved: the change and its audit record were rolled back")]
    private partial void LogNotSaved(Exception exception, string action, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Action {Action}: calendar {Country} {Year} saved as version {Version} by {Actor}")]
    private partial void LogSaved(string action, string country, int year, int version, string actor);
}
