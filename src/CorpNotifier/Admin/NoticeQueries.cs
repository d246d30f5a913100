using System.Globalization;
using System.Text.Json;
using CorpNotifier.Calendars;
using CorpNotifier.Clients;
using CorpNotifier.Deliveries;
using CorpNotifier.Hosting;
using CorpNotifier.Intake;
using CorpNotifier.Notices;
using CorpNotifier.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CorpNotifier.Admin;

/// <summary>
/// Which notices, newest first: the filters of the API's history (<c>GET /api/v1/notices</c>) and
/// of the console's search alike. <see cref="Text"/> is the console's one box: a number is tried as
/// a notice id, any text as a client, event or contract id, an address (with <c>@</c>) against the
/// recipients.
/// </summary>
public sealed record NoticeFilter
{
    public string? Text { get; init; }

    public string? ClientId { get; init; }

    public string? Kind { get; init; }

    public NoticeStatus? Status { get; init; }

    /// <summary>
    /// The country whose calendar plans the letter (alpha-3, <c>rus</c>): the letter's own country, else
    /// its client's as the client's latest profile event gave it.
    /// </summary>
    public string? Country { get; init; }

    /// <summary>Created at or after.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Letters one of whose recipients' latest delivery outcome is this (<c>hard_bounce</c>…).</summary>
    public string? Delivery { get; init; }

    /// <summary>Created before.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Older than this notice id: the keyset page after one that ended with it.</summary>
    public long? Before { get; init; }

    public int Limit { get; init; } = NoticeQueries.DefaultLimit;

    /// <summary>A status as the API names it (<c>dequeued</c>); anything else adds an error under <c>status</c>.</summary>
    public static NoticeStatus? ParseStatus(string? text, IDictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (Enum.TryParse<NoticeStatus>(text, ignoreCase: true, out var parsed) && !int.TryParse(text, out _))
        {
            return parsed;
        }

        errors["status"] = [$"must be one of {string.Join(", ", Enum.GetValues<NoticeStatus>().Select(WireName.Of))}"];
        return null;
    }
}

/// <summary>A page of notices and the id to continue after, when there is more.</summary>
public sealed record NoticeResults(IReadOnlyList<NoticeView> Items, long? NextBefore);

/// <summary>
/// What operators read about notices, for the admin API and the console alike: the history with
/// filters and keyset pages, one notice with its timeline, a client's agenda and notices,
/// an event and what it did, what needs attention, and the would-send report. A single letter, a
/// client's agenda and a client's letters carry, for those not sent yet, their due moment in the
/// recipient's time and why they wait (<paramref name="waits"/>; without it, as stored). What needs
/// attention names the countries of pending letters that no business calendar covers
/// (<paramref name="calendarQueries"/>) and the calendar years missing (<paramref name="calendars"/>); without them, none.
/// </summary>
public sealed class NoticeQueries(
    NoticesDbContext db,
    TimeProvider time,
    NoticeWaits? waits = null,
    BusinessCalendars? calendars = null,
    CalendarQueries? calendarQueries = null)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 500;
    public const int DefaultAgendaDays = 30;
    public const int MaxAgendaDays = 366;
    public const int AttentionListSize = 20;
    public const int MaxReportDays = 92;

    public async Task<NoticeResults> FindAsync(NoticeFilter filter, CancellationToken cancellationToken)
    {
        var notices = db.Notices.AsNoTracking();
        var text = filter.Text?.Trim();
        if (!string.IsNullOrEmpty(text))
        {
            // Each identifier has its index; an address is matched against the recipient lists,
            // asked for only when the text is an address. On PostgreSQL list.Contains(address) is
            // "list @> ARRAY[address]", which the lists' GIN indexes serve; the planner weighs
            // them against walking the history newest first by how common the address is.
            if (text.Contains('@', StringComparison.Ordinal))
            {
                var address = text.ToLowerInvariant();
                notices = notices.Where(n => n.SentTo.Contains(address) || n.Recipients.Contains(address) || n.SentTo.Contains(text) || n.Recipients.Contains(text));
            }
            else
            {
                var id = long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsedId) ? parsedId : -1;
                notices = notices.Where(n => n.Id == id || n.ClientId == text || n.EventId == text || n.ContractId == text);
            }
        }

        notices = filter.ClientId is null ? notices : notices.Where(n => n.ClientId == filter.ClientId);
        notices = string.IsNullOrEmpty(filter.Kind) ? notices : notices.Where(n => n.Kind == filter.Kind);
        notices = filter.Status is not { } status ? notices : notices.Where(n => n.Status == status);
        if (filter.Country?.Trim().ToLowerInvariant() is { Length: > 0 } country)
        {
            var clients = db.Clients.AsNoTracking();
            notices = notices.Where(n => n.Country == country
                || (n.Country == null && clients.Any(c => c.ClientId == n.ClientId && c.Country == country)));
        }

        notices = filter.From is not { } from ? notices : notices.Where(n => n.CreatedAt >= from);
        notices = filter.To is not { } to ? notices : notices.Where(n => n.CreatedAt < to);
        notices = filter.Before is not { } before ? notices : notices.Where(n => n.Id < before);
        notices = filter.Delivery is not { } delivery ? notices : notices.WithOutcome(db, delivery);
        var page = await notices.OrderByDescending(n => n.Id).Take(filter.Limit + 1).ToListAsync(cancellationToken);
        var items = await WithDeliveriesAsync(page.Take(filter.Limit).Select(NoticeView.From).ToList(), details: false, cancellationToken);
        return new NoticeResults(items, page.Count > filter.Limit ? items[^1].Id : null);
    }

    /// <summary>One notice with its timeline, oldest step first.</summary>
    public async Task<NoticeDetailView?> FindAsync(long id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) is { } notice
            ? new NoticeDetailView((await WithDeliveriesAsync([await ViewAsync(notice, cancellationToken)], details: true, cancellationToken))[0], Timeline(notice))
            : null;

    /// <summary>The views with their letters' delivery outcome, and with <paramref name="details"/> each recipient's.</summary>
    private async Task<List<NoticeView>> WithDeliveriesAsync(List<NoticeView> views, bool details, CancellationToken cancellationToken)
    {
        var deliveries = await DeliveryViews.ForAsync(db, [.. views.Select(v => v.Id)], cancellationToken);
        return
        [
            .. views.Select(v => deliveries.TryGetValue(v.Id, out var recipients)
                ? v with { Delivery = DeliveryViews.Worst(recipients.Select(r => r.Outcome)), Deliveries = details ? recipients : null }
                : details ? v with { Deliveries = [] } : v),
        ];
    }

    /// <summary>One notice as the console's letter page shows it.</summary>
    public async Task<LetterDetail?> LetterAsync(long id, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken) is not { } notice)
        {
            return null;
        }

        var evt = notice.EventId is null ? null : await db.Events.AsNoTracking().FirstOrDefaultAsync(e => e.EventId == notice.EventId, cancellationToken);
        var resends = await db.Notices.AsNoTracking().Where(n => n.ResendOfId == id).OrderBy(n => n.Id).Select(n => n.Id).ToListAsync(cancellationToken);
        return new LetterDetail(
            (await WithDeliveriesAsync([await ViewAsync(notice, cancellationToken)], details: true, cancellationToken))[0],
            Timeline(notice),
            evt is null ? null : EventSummary.From(evt),
            resends,
            notice.Country,
            [.. notice.Recipients]);
    }

    /// <summary>A client's notices in every status, newest first; <paramref name="client"/>: the client as the directory answered, when read already.</summary>
    public async Task<Checked<IReadOnlyList<NoticeView>>> ClientNoticesAsync(string clientId, int? limit, CancellationToken cancellationToken, ClientLookup? client = null)
    {
        if (limit is < 1 or > MaxLimit)
        {
            return Checked<IReadOnlyList<NoticeView>>.Invalid("limit", $"must be between 1 and {MaxLimit}");
        }

        var notices = await db.Notices.AsNoTracking()
            .Where(n => n.ClientId == clientId)
            .OrderByDescending(n => n.Id)
            .Take(limit ?? DefaultLimit)
            .ToListAsync(cancellationToken);
        return Checked<IReadOnlyList<NoticeView>>.Valid(await ViewsAsync(notices, client, cancellationToken));
    }

    /// <summary>
    /// Everything scheduled for a client in the next <paramref name="days"/> days, soonest first, each
    /// with its due moment in its recipient's time and why it waits; <paramref name="client"/>: the
    /// client as the directory answered, when read already.
    /// </summary>
    public async Task<Checked<IReadOnlyList<NoticeView>>> AgendaAsync(string clientId, int? days, CancellationToken cancellationToken, ClientLookup? client = null)
    {
        if (days is < 1 or > MaxAgendaDays)
        {
            return Checked<IReadOnlyList<NoticeView>>.Invalid("days", $"must be between 1 and {MaxAgendaDays}");
        }

        var until = time.GetUtcNow().AddDays(days ?? DefaultAgendaDays);
        var pending = await db.Notices.AsNoTracking()
            .Where(n => n.ClientId == clientId && (n.Status == NoticeStatus.Pending || n.Status == NoticeStatus.Sending) && n.SendAt <= until)
            .OrderBy(n => n.SendAt).ThenBy(n => n.Id)
            .ToListAsync(cancellationToken);
        return Checked<IReadOnlyList<NoticeView>>.Valid(await ViewsAsync(pending, client, cancellationToken));
    }

    /// <summary>An event and what it did: the notices it created and those it dequeued. Null when it was never received.</summary>
    public async Task<EventView?> EventAsync(string eventId, CancellationToken cancellationToken)
    {
        var evt = await db.Events.AsNoTracking().FirstOrDefaultAsync(e => e.EventId == eventId, cancellationToken);
        if (evt is null)
        {
            return null;
        }

        var created = await db.Notices.AsNoTracking().Where(n => n.EventId == eventId).OrderBy(n => n.Id).ToListAsync(cancellationToken);
        var dequeued = await db.Notices.AsNoTracking().Where(n => n.DequeuedByEventId == eventId).OrderBy(n => n.Id).ToListAsync(cancellationToken);
        return new EventView(
            evt.EventId,
            evt.Type,
            evt.ClientId,
            evt.OccurredAt,
            evt.ReceivedAt,
            evt.Outcome,
            JsonSerializer.Deserialize<JsonElement>(evt.Payload),
            [.. created.Select(NoticeView.From)],
            [.. dequeued.Select(NoticeView.From)]);
    }

    /// <summary>Due notices waiting and the oldest one's wait, notices being sent, due in the next day; notices being retried and failed in the last day.</summary>
    public async Task<AttentionView> AttentionAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var pending = db.Notices.AsNoTracking().Where(n => n.Status == NoticeStatus.Pending);
        var dueNow = await pending.CountAsync(n => n.SendAt <= now, cancellationToken);
        var oldest = dueNow == 0 ? null : await pending.Where(n => n.SendAt <= now).OrderBy(n => n.SendAt).Select(n => (DateTimeOffset?)n.SendAt).FirstOrDefaultAsync(cancellationToken);
        var sending = await db.Notices.CountAsync(n => n.Status == NoticeStatus.Sending, cancellationToken);
        var dayAhead = now.AddDays(1);
        var scheduled = await pending.CountAsync(n => n.SendAt > now && n.SendAt <= dayAhead, cancellationToken);
        var retrying = await pending.Where(n => n.Attempts > 0).OrderByDescending(n => n.UpdatedAt).Take(AttentionListSize).ToListAsync(cancellationToken);
        var dayAgo = now.AddDays(-1);
        var failed = await db.Notices.AsNoTracking().Where(n => n.Status == NoticeStatus.Failed && n.UpdatedAt >= dayAgo)
            .OrderByDescending(n => n.UpdatedAt).Take(AttentionListSize).ToListAsync(cancellationToken);
        return new AttentionView(
            dueNow,
            oldest is { } o ? now - o : null,
            sending,
            scheduled,
            [.. retrying.Select(NoticeView.From)],
            [.. failed.Select(NoticeView.From)])
        {
            CountriesWithoutCalendar = calendarQueries is null ? [] : await calendarQueries.UnknownCountriesAsync(cancellationToken),
            MissingCalendarYears = calendars?.MissingYears() ?? [],
        };
    }

    /// <summary>The would-send report: per kind and day (UTC), notices shadowed, sent, rejected and failed.</summary>
    public async Task<Checked<IReadOnlyList<ShadowReportRow>>> WouldSendAsync(DateOnly from, DateOnly to, string? kind, CancellationToken cancellationToken)
    {
        if (to < from || to.DayNumber - from.DayNumber >= MaxReportDays)
        {
            return Checked<IReadOnlyList<ShadowReportRow>>.Invalid("to", $"must be on or after 'from' and at most {MaxReportDays} days later");
        }

        var (start, end) = (Start(from), Start(to.AddDays(1)));
        var done = await db.Notices.AsNoTracking()
            .Where(n => n.UpdatedAt >= start && n.UpdatedAt < end)
            .Where(n => n.Status == NoticeStatus.Shadowed || n.Status == NoticeStatus.Sent || n.Status == NoticeStatus.Rejected || n.Status == NoticeStatus.Failed)
            .Where(n => kind == null || n.Kind == kind)
            .Select(n => new { n.Kind, n.Status, n.UpdatedAt })
            .ToListAsync(cancellationToken);

        IReadOnlyList<ShadowReportRow> rows = done
            .GroupBy(n => (Day: DateOnly.FromDateTime(n.UpdatedAt.UtcDateTime), n.Kind))
            .OrderBy(g => g.Key.Day).ThenBy(g => g.Key.Kind, StringComparer.Ordinal)
            .Select(g => new ShadowReportRow(
                g.Key.Day,
                g.Key.Kind,
                g.Count(n => n.Status == NoticeStatus.Shadowed),
                g.Count(n => n.Status == NoticeStatus.Sent),
                g.Count(n => n.Status == NoticeStatus.Rejected),
                g.Count(n => n.Status == NoticeStatus.Failed)))
            .ToList();
        return Checked<IReadOnlyList<ShadowReportRow>>.Valid(rows);
    }

    /// <summary>The notices shadow mode kept from the mailer on one day (UTC), optionally of one kind, oldest first.</summary>
    public async Task<IReadOnlyList<NoticeView>> ShadowedAsync(DateOnly day, string? kind, CancellationToken cancellationToken)
    {
        var (start, end) = (Start(day), Start(day.AddDays(1)));
        var shadowed = await db.Notices.AsNoTracking()
            .Where(n => n.Status == NoticeStatus.Shadowed && n.UpdatedAt >= start && n.UpdatedAt < end)
            .Where(n => kind == null || n.Kind == kind)
            .OrderBy(n => n.Id)
            .ToListAsync(cancellationToken);
        return [.. shadowed.Select(NoticeView.From)];
    }

    private async Task<NoticeView> ViewAsync(Notice notice, CancellationToken cancellationToken)
    {
        if (waits is null || notice.Status is not (NoticeStatus.Pending or NoticeStatus.Sending))
        {
            return NoticeView.From(notice);
        }

        var steps = notice.Timeline.OrderBy(t => t.At).ThenBy(t => t.Id).ToList();
        var lastSteps = steps.Count == 0 ? new Dictionary<long, TimelineEntryType>() : new() { [notice.Id] = steps[^1].Type };
        return (await waits.ViewsAsync([notice], lastSteps, null, cancellationToken))[0];
    }

    /// <summary>The letters as views, those not sent yet with their due moment in their recipient's time (one timeline read for the pending ones' last steps).</summary>
    private async Task<IReadOnlyList<NoticeView>> ViewsAsync(List<Notice> notices, ClientLookup? client, CancellationToken cancellationToken)
    {
        if (waits is null || !notices.Any(n => n.Status is NoticeStatus.Pending or NoticeStatus.Sending))
        {
            return [.. notices.Select(NoticeView.From)];
        }

        var pending = notices.Where(n => n.Status == NoticeStatus.Pending).Select(n => n.Id).ToList();
        var steps = pending.Count == 0 ? [] : await db.Timeline.AsNoTracking()
            .Where(t => pending.Contains(t.NoticeId))
            .Select(t => new { t.NoticeId, t.Id, t.At, t.Type })
            .ToListAsync(cancellationToken);
        var lastSteps = steps
            .GroupBy(t => t.NoticeId)
            .ToDictionary(g => g.Key, g => g.OrderBy(t => t.At).ThenBy(t => t.Id).Last().Type);
        return await waits.ViewsAsync(notices, lastSteps, client, cancellationToken);
    }

    private Task<Notice?> LoadAsync(long id, CancellationToken cancellationToken) =>
        db.Notices.AsNoTracking().Include(n => n.Timeline).FirstOrDefaultAsync(n => n.Id == id, cancellationToken);

    private static List<TimelineEntryView> Timeline(Notice notice) =>
    [
        .. notice.Timeline
            .OrderBy(t => t.At).ThenBy(t => t.Id)
            .Select(t => new TimelineEntryView(t.At, WireName.Of(t.Type), t.Detail, t.Actor)),
    ];

    private static DateTimeOffset Start(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
}
