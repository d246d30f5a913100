using System.Globalization;
using System.Text;
using System.Text.Json;
using CorpNotifier.Hosting;
using CorpNotifier.Intake;
using CorpNotifier.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CorpNotifier.Admin;

/// <summary>
/// A parked event (waiting or expired) as the API and the console list it: what, about whom, what
/// it lacks, since when it waits, when it expires (waiting ones: received + <c>Intake:MaxWait</c>)
/// and when it was last tried.
/// </summary>
public sealed record ParkedEventView(
    string EventId,
    string Type,
    string? ClientId,
    DateTimeOffset OccurredAt,
    DateTimeOffset ReceivedAt,
    string Status,
    string? Missing,
    string? MissingId,
    DateTimeOffset WaitingSince,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? RetriedAt,
    string? Outcome)
{
    public static ParkedEventView From(EventRecord e, TimeSpan maxWait) => new(
        e.EventId,
        e.Type,
        e.ClientId,
        e.OccurredAt,
        e.ReceivedAt,
        WireName.Of(e.Status),
        e.Missing is { } missing ? WireName.Of(missing) : null,
        e.MissingId,
        e.ReceivedAt,
        e.Status == EventStatus.Waiting ? e.ReceivedAt + maxWait : null,
        e.RetriedAt,
        e.Outcome);
}

/// <summary>A page of parked events; pass <see cref="NextCursor"/> back as <c>cursor</c> for the next page.</summary>
public sealed record ParkedEventPage(IReadOnlyList<ParkedEventView> Items, string? NextCursor);

/// <summary>
/// An event and what it did, with where it stands: <c>processed</c>, or parked — <c>waiting</c> for
/// the client profile or contract it lacks, <c>expired</c> after <c>Intake:MaxWait</c> — or
/// <c>discarded</c> by an operator. The fields of <see cref="EventView"/> and the parked state.
/// </summary>
public sealed record EventDetailView(
    string EventId,
    string Type,
    string? ClientId,
    DateTimeOffset OccurredAt,
    DateTimeOffset ReceivedAt,
    string? Outcome,
    JsonElement Payload,
    IReadOnlyList<NoticeView> Created,
    IReadOnlyList<NoticeView> Dequeued,
    string Status,
    string? Missing,
    string? MissingId,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? RetriedAt)
{
    /// <summary>Waiting or expired: an operator may re-run or discard it.</summary>
    public bool IsParked => Status is "waiting" or "expired";
}

/// <summary>What the attention page shows of parked events: how many wait and expired, the waiting that expire soonest, the latest expired.</summary>
public sealed record ParkedAttention(
    int Waiting,
    int Expired,
    IReadOnlyList<ParkedEventView> ExpiringSoonest,
    IReadOnlyList<ParkedEventView> LatestExpired);

/// <summary>Which parked events: both statuses unless one is named, any client unless one is, oldest received first unless <see cref="NewestFirst"/>.</summary>
public sealed record ParkedEventFilter
{
    /// <summary><see cref="EventStatus.Waiting"/> or <see cref="EventStatus.Expired"/>; <c>null</c> for both.</summary>
    public EventStatus? Status { get; init; }

    public string? ClientId { get; init; }

    public bool NewestFirst { get; init; }

    /// <summary>Where the previous page ended (<see cref="ParkedEventQueries.ReadCursor"/>).</summary>
    public ParkedEventCursor? After { get; init; }

    public int Limit { get; init; } = ParkedEventQueries.DefaultLimit;

    /// <summary><c>waiting</c> or <c>expired</c>; anything else adds an error under <c>status</c>.</summary>
    public static EventStatus? ParseStatus(string? text, IDictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (text.Equals("waiting", StringComparison.OrdinalIgnoreCase))
        {
            return EventStatus.Waiting;
        }

        if (text.Equals("expired", StringComparison.OrdinalIgnoreCase))
        {
            return EventStatus.Expired;
        }

        errors["status"] = ["must be one of waiting, expired"];
        return null;
    }

    /// <summary><c>oldest</c> (the default) or <c>newest</c>; anything else adds an error under <c>order</c>.</summary>
    public static bool ParseOrder(string? text, IDictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(text) || text.Equals("oldest", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (text.Equals("newest", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        errors["order"] = ["must be oldest or newest"];
        return false;
    }
}

/// <summary>The last event of a page, by the list's order: when it was received, then its id.</summary>
public sealed record ParkedEventCursor(DateTimeOffset ReceivedAt, string EventId);

/// <summary>A page of parked events and where the next one starts, when there is more.</summary>
public sealed record ParkedEventResults(IReadOnlyList<ParkedEventView> Items, ParkedEventCursor? Next);

/// <summary>
/// What operators read about parked events (waiting for a client profile or a contract, or expired
/// waiting), for the admin API and the console alike: the list with filters and keyset pages, the
/// counts and the most urgent few for the attention page, and one event with its parked state.
/// </summary>
public sealed class ParkedEventQueries(NoticesDbContext db, NoticeQueries notices, IOptions<IntakeOptions> intake)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 500;
    public const int AttentionListSize = 10;

    private TimeSpan MaxWait => intake.Value.MaxWait;

    public async Task<ParkedEventResults> FindAsync(ParkedEventFilter filter, CancellationToken cancellationToken)
    {
        var events = db.Events.AsNoTracking();
        events = filter.Status is { } status
            ? events.Where(e => e.Status == status)
            : events.Where(e => e.Status == EventStatus.Waiting || e.Status == EventStatus.Expired);
        events = filter.ClientId is null ? events : events.Where(e => e.ClientId == filter.ClientId);
        if (filter.After is { } after)
        {
            events = filter.NewestFirst
                ? events.Where(e => e.ReceivedAt < after.ReceivedAt || (e.ReceivedAt == after.ReceivedAt && string.Compare(e.EventId, after.EventId) < 0))
                : events.Where(e => e.ReceivedAt > after.ReceivedAt || (e.ReceivedAt == after.ReceivedAt && string.Compare(e.EventId, after.EventId) > 0));
        }

        events = filter.NewestFirst
            ? events.OrderByDescending(e => e.ReceivedAt).ThenByDescending(e => e.EventId)
            : events.OrderBy(e => e.ReceivedAt).ThenBy(e => e.EventId);
        var page = await events.Take(filter.Limit + 1).ToListAsync(cancellationToken);
        var items = page.Take(filter.Limit).ToList();
        var next = page.Count > filter.Limit ? new ParkedEventCursor(items[^1].ReceivedAt, items[^1].EventId) : null;
        return new ParkedEventResults([.. items.Select(e => ParkedEventView.From(e, MaxWait))], next);
    }

    /// <summary>How many events wait and expired; the waiting ones that expire soonest and the latest expired, a few of each.</summary>
    public async Task<ParkedAttention> AttentionAsync(CancellationToken cancellationToken)
    {
        var counts = await db.Events.AsNoTracking()
            .Where(e => e.Status == EventStatus.Waiting || e.Status == EventStatus.Expired)
            .GroupBy(e => e.Status)
            .Select(g => new { Status = g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken);
        int Count(EventStatus status) => counts.FirstOrDefault(c => c.Status == status)?.Count ?? 0;
        var (waiting, expired) = (Count(EventStatus.Waiting), Count(EventStatus.Expired));
        var soonest = waiting == 0 ? [] : (await FindAsync(new ParkedEventFilter { Status = EventStatus.Waiting, Limit = AttentionListSize }, cancellationToken)).Items;
        var latest = expired == 0 ? [] : (await FindAsync(new ParkedEventFilter { Status = EventStatus.Expired, NewestFirst = true, Limit = AttentionListSize }, cancellationToken)).Items;
        return new ParkedAttention(waiting, expired, soonest, latest);
    }

    /// <summary>An event, what it did and where it stands. Null when it was never received.</summary>
    public async Task<EventDetailView?> EventAsync(string eventId, CancellationToken cancellationToken)
    {
        if (await notices.EventAsync(eventId, cancellationToken) is not { } view)
        {
            return null;
        }

        var state = await db.Events.AsNoTracking()
            .Where(e => e.EventId == eventId)
            .Select(e => new { e.Status, e.Missing, e.MissingId, e.RetriedAt })
            .FirstAsync(cancellationToken);
        return new EventDetailView(
            view.EventId,
            view.Type,
            view.ClientId,
            view.OccurredAt,
            view.ReceivedAt,
            view.Outcome,
            view.Payload,
            view.Created,
            view.Dequeued,
            WireName.Of(state.Status),
            state.Missing is { } missing ? WireName.Of(missing) : null,
            state.MissingId,
            state.Status == EventStatus.Waiting ? view.ReceivedAt + MaxWait : null,
            state.RetriedAt);
    }

    /// <summary>An opaque cursor: the last event of a page, base64url-encoded.</summary>
    public static string WriteCursor(ParkedEventCursor cursor) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"e:{cursor.ReceivedAt.UtcTicks.ToString(CultureInfo.InvariantCulture)}:{cursor.EventId}"))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The cursor <see cref="WriteCursor"/> wrote; <c>null</c> for anything else.</summary>
    public static ParkedEventCursor? ReadCursor(string cursor)
    {
        try
        {
            var padded = cursor.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - (padded.Length % 4)) % 4);
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(padded)).Split(':', 3);
            return parts is ["e", var ticks, { Length: > 0 } eventId] && long.TryParse(ticks, NumberStyles.None, CultureInfo.InvariantCulture, out var utcTicks)
                && utcTicks is >= 0 and <= 3155378975999999999
                ? new ParkedEventCursor(new DateTimeOffset(utcTicks, TimeSpan.Zero), eventId)
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
