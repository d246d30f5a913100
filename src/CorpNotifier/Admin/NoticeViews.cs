using System.Text.Json;
using CorpNotifier.Clients;
using CorpNotifier.Hosting;
using CorpNotifier.Intake;
using CorpNotifier.Notices;

namespace CorpNotifier.Admin;

/// <summary>A notice as the API and the console show it.</summary>
public sealed record NoticeView(
    long Id,
    string Kind,
    string Status,
    string Origin,
    string? ClientId,
    string? ContractId,
    DateTimeOffset SendAt,
    DateTimeOffset? SentAt,
    int Attempts,
    string? ReasonCode,
    string? Reason,
    string? EventId,
    string? DequeuedByEventId,
    string? DequeuedBy,
    IReadOnlyList<string> SentTo,
    string? Slug,
    string? ProviderMessageId,
    long? ResendOfId,
    JsonElement Args,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>
    /// A pending or sending letter's due moment in its recipient's local time (<c>2026-12-10 09:00</c>);
    /// null for other letters, in lists of many clients' letters (the history, an event's), and for a
    /// client's letter while the client directory does not answer or does not know the client.
    /// </summary>
    public string? SendAtLocal { get; init; }

    /// <summary>The recipient's time zone <see cref="SendAtLocal"/> is read in (IANA, <c>Europe/Moscow</c>).</summary>
    public string? TimeZone { get; init; }

    /// <summary>
    /// Why a pending letter is not sent yet (<see cref="WaitReasons"/>): <c>delay</c>, <c>window</c>,
    /// <c>retry</c> or <c>scheduled</c>; null when it is due now, or not pending.
    /// </summary>
    public string? WaitsFor { get; init; }

    /// <summary>
    /// What the mailer reported of the letter: its recipients' worst latest outcome (<c>complained</c>,
    /// <c>hard_bounce</c>, <c>soft_bounce</c>, <c>deferred</c>, <c>delivered</c>); null when nothing was reported.
    /// </summary>
    public string? Delivery { get; init; }

    /// <summary>Each recipient the mailer accepted, with the latest outcome reported (in a single letter's view; null in lists).</summary>
    public IReadOnlyList<Deliveries.RecipientDeliveryView>? Deliveries { get; init; }

    public static NoticeView From(Notice n) => new(
        n.Id,
        n.Kind,
        WireName.Of(n.Status),
        WireName.Of(n.Origin),
        n.ClientId,
        n.ContractId,
        n.SendAt,
        n.SentAt,
        n.Attempts,
        n.ReasonCode,
        n.Reason,
        n.EventId,
        n.DequeuedByEventId,
        n.DequeuedBy,
        n.SentTo,
        n.SentSlug,
        n.ProviderMessageId,
        n.ResendOfId,
        JsonSerializer.SerializeToElement(n.Args, AppJson.Options),
        n.CreatedAt,
        n.UpdatedAt);
}

/// <summary>One step of a notice's timeline: its type's wire name, and the detail the ledger wrote (an English sentence).</summary>
public sealed record TimelineEntryView(DateTimeOffset At, string Type, string? Detail, string? Actor);

public sealed record NoticeDetailView(NoticeView Notice, IReadOnlyList<TimelineEntryView> Timeline);

/// <summary>A page of notices, newest first; pass <see cref="NextCursor"/> back as <c>cursor</c> for the next page.</summary>
public sealed record NoticePage(IReadOnlyList<NoticeView> Items, string? NextCursor);

/// <summary>An event as a list shows it: what, about whom, when, and what processing did.</summary>
public sealed record EventSummary(string EventId, string Type, string? ClientId, DateTimeOffset OccurredAt, DateTimeOffset ReceivedAt, string? Outcome)
{
    public static EventSummary From(EventRecord e) => new(e.EventId, e.Type, e.ClientId, e.OccurredAt, e.ReceivedAt, e.Outcome);
}

/// <summary>An event and what it did.</summary>
public sealed record EventView(
    string EventId,
    string Type,
    string? ClientId,
    DateTimeOffset OccurredAt,
    DateTimeOffset ReceivedAt,
    string? Outcome,
    JsonElement Payload,
    IReadOnlyList<NoticeView> Created,
    IReadOnlyList<NoticeView> Dequeued);

/// <summary>
/// One notice with everything an operator reads about it: the notice, its timeline, the event that
/// created it, its re-sends, and where it goes besides the client (its country and own recipients,
/// which the preview needs).
/// </summary>
public sealed record LetterDetail(
    NoticeView Notice,
    IReadOnlyList<TimelineEntryView> Timeline,
    EventSummary? Event,
    IReadOnlyList<long> Resends,
    string? Country,
    IReadOnlyList<string> Recipients);

/// <summary>A contract of a client as the latest contract and balance events described it.</summary>
public sealed record ContractView(
    string ContractId,
    string? ExternalId,
    bool IsActive,
    string PaymentType,
    bool IsOffer,
    bool OfferAccepted,
    IReadOnlyList<string> Services,
    decimal? Balance)
{
    public static ContractView From(ContractRecord c) => new(
        c.ContractId, c.ExternalId, c.State.IsActive, c.State.PaymentType, c.State.IsOffer, c.State.OfferAccepted, [.. c.State.Services], c.Balance);
}

/// <summary>A client as an operator looks it up: the directory's profile (or why there is none), contracts, agenda, notices and events.</summary>
public sealed record ClientView(
    string ClientId,
    ClientProfile? Profile,
    string? DirectoryProblem,
    IReadOnlyList<ContractView> Contracts,
    IReadOnlyList<NoticeView> Agenda,
    IReadOnlyList<NoticeView> Notices,
    IReadOnlyList<EventSummary> Events);

/// <summary>
/// What needs an operator now: notices due and waiting, being sent, being retried, failed; the countries
/// letters are planned for with no business calendar, and the calendar years missing.
/// </summary>
public sealed record AttentionView(
    int DueNow,
    TimeSpan? OldestDueWaiting,
    int Sending,
    int ScheduledNextDay,
    IReadOnlyList<NoticeView> Retrying,
    IReadOnlyList<NoticeView> FailedLastDay)
{
    /// <summary>Countries of pending letters no business calendar covers (Monday to Friday is used), most letters first.</summary>
    public IReadOnlyList<UnknownCountryView> CountriesWithoutCalendar { get; init; } = [];

    /// <summary>Countries with calendar data lacking this year or the next, as <c>rus 2028</c>.</summary>
    public IReadOnlyList<string> MissingCalendarYears { get; init; } = [];
}

/// <summary>A read that checks what it was asked first: the value, or the problems with the request by parameter name.</summary>
public sealed record Checked<T>(T? Value, IReadOnlyDictionary<string, string[]> Errors)
{
    public bool IsValid => Errors.Count == 0;

    public static Checked<T> Valid(T value) => new(value, new Dictionary<string, string[]>());

    public static Checked<T> Invalid(IReadOnlyDictionary<string, string[]> errors) => new(default, errors);

    public static Checked<T> Invalid(string parameter, string message) => Invalid(new Dictionary<string, string[]> { [parameter] = [message] });
}
