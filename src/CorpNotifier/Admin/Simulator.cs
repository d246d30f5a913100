using System.Text.Json;
using CorpNotifier.Clients;
using CorpNotifier.Contracts;
using CorpNotifier.Dispatch;
using CorpNotifier.Intake;
using CorpNotifier.Notices;
using CorpNotifier.Rules;

namespace CorpNotifier.Admin;

/// <summary>The client as the simulation starts with it.</summary>
public sealed record SimulatedClient(string? Name, string? Country, string? Locale, List<string>? Emails, bool HasSuccessfulOrder);

/// <summary>The contract as the simulation starts with it (optional: a <c>ContractChanged</c> event may create it).</summary>
public sealed record SimulatedContract(string? ContractId, string? ExternalId, ContractState? State);

/// <summary>What to simulate: a client, maybe a contract, and events in the wire format (their <c>occurredAt</c> is the virtual clock).</summary>
public sealed record SimulationRequest(SimulatedClient? Client, SimulatedContract? Contract, List<JsonElement>? Events);

/// <summary>One letter of the simulation and what became of it.</summary>
public sealed record SimulatedLetter(
    string Kind,
    string? ContractId,
    string CreatedByEventId,
    DateTimeOffset CreatedAt,
    DateTimeOffset SendAt,
    string Outcome,
    DateTimeOffset? OutcomeAt,
    string? ReasonCode,
    string? Reason,
    string? Slug,
    IReadOnlyList<string> Recipients,
    IReadOnlyDictionary<string, object?> Args);

public sealed record SimulationResult(IReadOnlyList<SimulatedLetter> Letters, IReadOnlyList<string> Notes);

/// <summary>
/// Runs events through the real rules and send-time checks with the current settings on a virtual
/// clock, in memory: which letters they would create, dequeue, reject or send, and when. Writes nothing.
/// </summary>
public sealed class Simulator(NoticeCatalog catalog, INoticeSettingsSource settingsSource)
{
    public const int MaxEvents = 200;

    public static IReadOnlyDictionary<string, string[]> Validate(SimulationRequest request, out List<IEvent> events)
    {
        var errors = new Dictionary<string, string[]>();
        events = [];
        if (request.Events is not { Count: > 0 } raw)
        {
            errors["events"] = ["at least one event is required"];
            return errors;
        }

        if (raw.Count > MaxEvents)
        {
            errors["events"] = [$"at most {MaxEvents} events"];
            return errors;
        }

        for (var i = 0; i < raw.Count; i++)
        {
            var read = EventEnvelopeReader.Read(raw[i], now: null); // occurredAt is the virtual clock
            foreach (var (field, messages) in read.Errors)
            {
                errors[$"events[{i}].{field}"] = messages;
            }

            if (read.IsValid)
            {
                events.Add(read.Event!);
            }
        }

        if (errors.Count == 0 && events.Select(e => e.ClientId).Distinct().Count() > 1)
        {
            errors["events"] = ["a simulation is about one client: every event must have the same clientId"];
        }

        foreach (var (field, messages) in ValidateEmails(request.Client))
        {
            errors[field] = messages;
        }

        return errors;
    }

    public async Task<SimulationResult> RunAsync(SimulationRequest request, IReadOnlyList<IEvent> events, CancellationToken cancellationToken)
    {
        var settings = await settingsSource.GetAllAsync(cancellationToken);
        var clientId = events[0].ClientId;
        var start = request.Client ?? new SimulatedClient(null, null, null, [], false);
        var client = new ClientProfile(clientId, start.Name, start.Country, start.Locale, null, start.Emails ?? [], start.HasSuccessfulOrder);
        var contracts = new Dictionary<string, ContractProfile>();
        if (request.Contract is { ContractId: { } id, State: { } state })
        {
            contracts[id] = new ContractProfile(id, clientId, request.Contract.ExternalId, state);
        }

        var letters = new List<Letter>();
        var notes = new List<string>();
        var uniqueKeys = new HashSet<string>();

        foreach (var evt in events.OrderBy(e => e.OccurredAt))
        {
            var now = evt.OccurredAt;
            RunDue(letters, now, client, contracts, settings);
            switch (evt)
            {
                case ClientProfileChanged p:
                    client = client with { Name = p.Name, Country = p.Country, Locale = p.Locale, TimeZone = p.TimeZone, Emails = p.Emails };
                    break;
                case OrderCompleted:
                    client = client with { HasSuccessfulOrder = true };
                    break;
                case ContractChanged c:
                    contracts[c.ContractId] = new ContractProfile(c.ContractId, c.ClientId, c.ExternalId ?? contracts.GetValueOrDefault(c.ContractId)?.ExternalId, c.New);
                    break;
            }

            var contract = evt switch
            {
                BalanceChanged b => contracts.GetValueOrDefault(b.ContractId),
                ContractChanged c => contracts[c.ContractId],
                _ => null,
            };
            if (evt is BalanceChanged balance && contract is null)
            {
                notes.Add($"{evt.EventId}: contract {balance.ContractId} is unknown, so it has no thresholds");
            }

            var context = new RuleContext(now, client, contract, kind => settings[kind].Offset);
            foreach (var action in catalog.Evaluate(evt, context))
            {
                switch (action)
                {
                    case DequeueNotices dequeue:
                        foreach (var letter in letters.Where(l => l.Outcome == "pending" && l.Kind == dequeue.Kind && (dequeue.ContractId == null || l.ContractId == dequeue.ContractId)))
                        {
                            letter.Finish("dequeued", now, null, $"cancelled by {evt.GetType().Name} {evt.EventId}");
                        }

                        break;
                    case EnqueueNotice enqueue when enqueue.UniqueKey is not null && !uniqueKeys.Add(enqueue.UniqueKey):
                        notes.Add($"{evt.EventId}: {enqueue.Kind} was sent before for this contract; not again");
                        break;
                    case EnqueueNotice enqueue:
                        letters.Add(new Letter(enqueue.Kind, enqueue.ContractId, evt.EventId, now, enqueue.SendAt <= now ? now : enqueue.SendAt, enqueue.Args));
                        break;
                }
            }
        }

        RunDue(letters, DateTimeOffset.MaxValue, client, contracts, settings);
        return new SimulationResult([.. letters.Select(l => l.ToResult())], notes);
    }

    /// <summary>Letters due by <paramref name="until"/> meet the send-time checks with the state of that moment.</summary>
    private void RunDue(List<Letter> letters, DateTimeOffset until, ClientProfile client, Dictionary<string, ContractProfile> contracts, IReadOnlyDictionary<string, EffectiveNoticeSettings> settings)
    {
        foreach (var letter in letters.Where(l => l.Outcome == "pending" && l.SendAt <= until).OrderBy(l => l.SendAt).ToList())
        {
            var contract = letter.ContractId is null ? null : contracts.GetValueOrDefault(letter.ContractId);
            var context = new SendCheckContext(letter.Kind, client.ClientId, letter.ContractId, client, contract, letter.SendAt);
            switch (SendDecision.Decide(catalog.Find(letter.Kind), settings[letter.Kind], context))
            {
                case SendDecision.Stop stop:
                    letter.Finish(stop.Status.ToString().ToLowerInvariant(), letter.SendAt, stop.ReasonCode, stop.Reason);
                    break;
                case SendDecision.Shadow shadow:
                    letter.Finish("shadowed", letter.SendAt, null, "shadow mode", shadow.Slug, shadow.Recipients);
                    break;
                case SendDecision.Send send:
                    letter.Finish("sent", letter.SendAt, null, null, send.Slug, send.Recipients);
                    break;
            }
        }
    }

    private static IEnumerable<(string, string[])> ValidateEmails(SimulatedClient? client)
    {
        var emails = client?.Emails ?? [];
        for (var i = 0; i < emails.Count; i++)
        {
            if (!EmailAddress.IsValid(emails[i]))
            {
                yield return ($"client.emails[{i}]", ["is not an email address"]);
            }
        }
    }

    private sealed class Letter(string kind, string? contractId, string eventId, DateTimeOffset createdAt, DateTimeOffset sendAt, IReadOnlyDictionary<string, object?> args)
    {
        public string Kind => kind;

        public string? ContractId => contractId;

        public DateTimeOffset SendAt => sendAt;

        public string Outcome { get; private set; } = "pending";

        private DateTimeOffset? _at;
        private string? _code;
        private string? _reason;
        private string? _slug;
        private IReadOnlyList<string> _recipients = [];

        public void Finish(string outcome, DateTimeOffset at, string? code, string? reason, string? slug = null, IReadOnlyList<string>? recipients = null)
        {
            (Outcome, _at, _code, _reason, _slug, _recipients) = (outcome, at, code, reason, slug, recipients ?? []);
        }

        public SimulatedLetter ToResult() => new(kind, contractId, eventId, createdAt, sendAt, Outcome, _at, _code, _reason, _slug, _recipients, args);
    }
}

public static class SimulateApi
{
    public static IEndpointRouteBuilder MapSimulateApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/simulate", Simulate).WithName("Simulate").WithTags("Simulate").RequireAuthorization(Policies.Read)
            .WithSummary("What events would do to a client's letters, on a virtual clock, with the current settings; nothing is written");
        return app;
    }

    public static async Task<Microsoft.AspNetCore.Http.HttpResults.Results<Microsoft.AspNetCore.Http.HttpResults.Ok<SimulationResult>, Microsoft.AspNetCore.Http.HttpResults.ValidationProblem>> Simulate(
        SimulationRequest request,
        Simulator simulator,
        CancellationToken cancellationToken)
    {
        var errors = Simulator.Validate(request, out var events);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The simulation is invalid");
        }

        return TypedResults.Ok(await simulator.RunAsync(request, events, cancellationToken));
    }
}
