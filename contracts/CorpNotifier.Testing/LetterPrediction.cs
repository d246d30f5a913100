using System.Text.Json;
using CorpNotifier.Admin;
using CorpNotifier.Contracts;
using CorpNotifier.Intake;

namespace CorpNotifier.Testing;

/// <summary>
/// Which letters corp-notifier would make of a producer's events, and what would become of each:
/// sent (when, to whom), rejected by a send-time check (why), dequeued by a later event, or failed.
/// It runs the service's own engine — event processing, the letters' rules, the notice ledger and
/// the send-time checks — in the test's process, on a private in-memory database, with a virtual
/// clock that follows the events' <see cref="IEvent.OccurredAt"/> and then runs on until every
/// scheduled letter has fallen due. Every letter has its default settings (enabled, live, the
/// rule's own delay and template); a deployment's operators may have changed them, and the
/// service's <c>POST /api/v1/simulate</c> answers with those.
/// </summary>
/// <example>
/// <code>
/// var prediction = await LetterPrediction.PredictAsync(client, contract, [balanceDrop]);
/// var reminder = prediction.Single("LimitIsOverRemindNotice");
/// Assert.Equal(balanceDrop.OccurredAt.AddDays(3), reminder.SendAt);
/// </code>
/// </example>
public static class LetterPrediction
{
    /// <summary>The events' letters for a client (and a contract) as they are before the first event.</summary>
    /// <param name="client">The client's profile as corp-notifier knows it before the first event.</param>
    /// <param name="contract">The contract as corp-notifier knows it before the first event, or <c>null</c> when none is known (a <see cref="ContractChanged"/> event may bring it).</param>
    /// <param name="events">One client's events, in any order: they happen at their <see cref="IEvent.OccurredAt"/>.</param>
    /// <param name="options">The parts of the service's configuration that change a letter's fate; <c>null</c> for the service's defaults.</param>
    /// <param name="cancellationToken">Cancels the prediction.</param>
    /// <exception cref="EventValidationException">An event is one the service would refuse, the client's profile holds what the service would refuse in a <see cref="ClientProfileChanged"/> (<c>client.country: …</c>), the events are about more than one client, or an option is invalid; the message names every fault.</exception>
    public static async Task<PredictedLetters> PredictAsync(
        PredictionClient client,
        PredictionContract? contract,
        IEnumerable<IEvent> events,
        PredictionOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(events);
        var request = new SimulationRequest(
            new SimulatedClient(client.Name, client.Country, client.Locale, [.. client.Emails], client.HasSuccessfulOrder) { TimeZone = client.TimeZone },
            contract is null ? null : new SimulatedContract(contract.ContractId, contract.ExternalId, contract.State),
            [.. events.Select(e => JsonSerializer.SerializeToElement(EventEnvelopeReader.Write(e ?? throw new ArgumentException("an event is null", nameof(events)))))]);
        var standalone = new StandaloneSimulationOptions { StaffEmailDomain = options?.StaffEmailDomain };
        foreach (var key in options?.FernetKeys ?? [])
        {
            standalone.FernetKeys.Add(key);
        }

        try
        {
            var result = await StandaloneSimulation.RunAsync(request, standalone, cancellationToken);
            return new PredictedLetters([.. result.Letters.Select(Letter)], result.Notes);
        }
        catch (SimulationInputException e)
        {
            throw new EventValidationException(e.Message, [.. e.Errors.SelectMany(p => p.Value.Select(message => $"{p.Key}: {message}"))]);
        }
    }

    /// <summary>As <see cref="PredictAsync(PredictionClient, PredictionContract?, IEnumerable{IEvent}, PredictionOptions?, CancellationToken)"/>, for events that need no contract known beforehand.</summary>
    /// <param name="client">The client's profile as corp-notifier knows it before the first event.</param>
    /// <param name="events">One client's events, in any order.</param>
    /// <param name="cancellationToken">Cancels the prediction.</param>
    public static Task<PredictedLetters> PredictAsync(PredictionClient client, IEnumerable<IEvent> events, CancellationToken cancellationToken = default) =>
        PredictAsync(client, null, events, null, cancellationToken);

    private static PredictedLetter Letter(SimulatedLetter letter) => new(
        letter.Kind,
        letter.ContractId,
        letter.CreatedByEventId,
        letter.CreatedAt,
        letter.SendAt,
        Enum.Parse<PredictedOutcome>(letter.Outcome, ignoreCase: true),
        letter.OutcomeAt,
        letter.ReasonCode,
        letter.Reason,
        letter.Slug,
        letter.Recipients,
        letter.Args.ToDictionary(a => a.Key, a => a.Value?.ToString(), StringComparer.Ordinal));
}

/// <summary>
/// The client as corp-notifier knows it before the first event (its profile comes from
/// <see cref="ClientProfileChanged"/> or the client directory). Each field given is checked as the
/// service checks it in a <see cref="ClientProfileChanged"/>, with the service's words.
/// </summary>
public sealed record PredictionClient
{
    /// <summary>The client's name, as letters address it.</summary>
    public string? Name { get; init; }

    /// <summary>The client's country as a lower-case ISO 3166 alpha-3 code, e.g. <c>rus</c>, <c>kaz</c> (as the service writes it: <c>RU</c> is refused): it picks the letter's template and extra recipients.</summary>
    public string? Country { get; init; }

    /// <summary>The client's locale, a language tag (e.g. <c>ru</c>, <c>en</c>).</summary>
    public string? Locale { get; init; }

    /// <summary>The client's IANA time zone (e.g. <c>Europe/Moscow</c>).</summary>
    public string? TimeZone { get; init; }

    /// <summary>The client's addresses: a client without one gets no letter (the letter is rejected).</summary>
    public IReadOnlyList<string> Emails { get; init; } = [];

    /// <summary>Whether the client has completed an order (some onboarding letters stop then).</summary>
    public bool HasSuccessfulOrder { get; init; }
}

/// <summary>The contract as corp-notifier knows it before the first event (from the last <see cref="ContractChanged"/>).</summary>
/// <param name="ContractId">The contract's id, as events carry it.</param>
/// <param name="State">The contract's state: thresholds, payment type, services.</param>
public sealed record PredictionContract(string ContractId, ContractState State)
{
    /// <summary>The contract's number as clients know it.</summary>
    public string? ExternalId { get; init; }
}

/// <summary>The parts of the service's configuration that change what becomes of a letter.</summary>
public sealed record PredictionOptions
{
    /// <summary>The Fernet keys secrets in events are encrypted with (the service's <c>Secrets:FernetKeys</c>); without the right one, a letter whose secret cannot be opened is rejected.</summary>
    public IReadOnlyList<string> FernetKeys { get; init; } = [];

    /// <summary>The service's <c>Notices:StaffEmailDomain</c>.</summary>
    public string? StaffEmailDomain { get; init; }
}

/// <summary>What becomes of a letter.</summary>
public enum PredictedOutcome
{
    /// <summary>Still waiting: the prediction stopped before it fell due (it ends after many attempts of a letter that keeps being retried).</summary>
    Pending,

    /// <summary>Being sent when the prediction ended.</summary>
    Sending,

    /// <summary>Sent to every recipient at <see cref="PredictedLetter.OutcomeAt"/>.</summary>
    Sent,

    /// <summary>A send-time check said no (<see cref="PredictedLetter.ReasonCode"/>): the client has no address, the letter no longer applies…</summary>
    Rejected,

    /// <summary>The letter could not be sent at all (<see cref="PredictedLetter.Reason"/>).</summary>
    Failed,

    /// <summary>A later event cancelled it before it fell due.</summary>
    Dequeued,

    /// <summary>The letter is in shadow mode: everything but the mail itself.</summary>
    Shadowed,
}

/// <summary>One letter the events make, and what becomes of it.</summary>
/// <param name="Kind">The letter's kind, e.g. <c>LimitIsOverNotice</c>.</param>
/// <param name="ContractId">The contract it is about, if any.</param>
/// <param name="CreatedByEventId">The event that made it.</param>
/// <param name="CreatedAt">When it was made (the event's moment).</param>
/// <param name="SendAt">When it falls due.</param>
/// <param name="Outcome">What becomes of it.</param>
/// <param name="OutcomeAt">When it was sent, rejected, dequeued or failed.</param>
/// <param name="ReasonCode">Why it was rejected or dequeued, as a code (e.g. <c>no_recipients</c>).</param>
/// <param name="Reason">The reason in words.</param>
/// <param name="Template">The mail service's template it is sent with.</param>
/// <param name="Recipients">The addresses it is sent to.</param>
/// <param name="Args">The letter's arguments, as the template gets them.</param>
public sealed record PredictedLetter(
    string Kind,
    string? ContractId,
    string CreatedByEventId,
    DateTimeOffset CreatedAt,
    DateTimeOffset SendAt,
    PredictedOutcome Outcome,
    DateTimeOffset? OutcomeAt,
    string? ReasonCode,
    string? Reason,
    string? Template,
    IReadOnlyList<string> Recipients,
    IReadOnlyDictionary<string, string?> Args);

/// <summary>The letters a prediction found, in the order they were made.</summary>
/// <param name="Letters">Every letter, in the order it was made.</param>
/// <param name="Notes">What the service would have noted about the events (e.g. an event about a letter already sent).</param>
public sealed record PredictedLetters(IReadOnlyList<PredictedLetter> Letters, IReadOnlyList<string> Notes)
{
    /// <summary>The letters of one kind.</summary>
    /// <param name="kind">The letter's kind, e.g. <c>LowBalanceNotice</c>.</param>
    public IReadOnlyList<PredictedLetter> OfKind(string kind) => [.. Letters.Where(l => l.Kind == kind)];

    /// <summary>The one letter of a kind; throws, naming the letters there are, when there is none or more than one.</summary>
    /// <param name="kind">The letter's kind, e.g. <c>LimitIsOverNotice</c>.</param>
    public PredictedLetter Single(string kind)
    {
        var letters = OfKind(kind);
        return letters.Count == 1
            ? letters[0]
            : throw new InvalidOperationException($"{letters.Count} letters of kind {kind}; the letters are: {(Letters.Count == 0 ? "none" : string.Join(", ", Letters.Select(l => $"{l.Kind} ({l.Outcome.ToString().ToLowerInvariant()})")))}");
    }
}
