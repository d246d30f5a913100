using System.Text.Json;
using System.Text.Json.Nodes;
using CorpNotifier.Auth;
using CorpNotifier.Calendars;
using CorpNotifier.Contracts;
using CorpNotifier.Intake;
using CorpNotifier.Notices;

namespace CorpNotifier.Admin;

/// <summary>The client as the simulation starts with it: what a <c>ClientProfileChanged</c> says, each field checked as the service checks it there.</summary>
public sealed record SimulatedClient(string? Name, string? Country, string? Locale, List<string>? Emails, bool HasSuccessfulOrder)
{
    /// <summary>The client's IANA time zone, e.g. <c>Europe/Moscow</c>.</summary>
    public string? TimeZone { get; init; }
}

/// <summary>The contract as the simulation starts with it (optional: a <c>ContractChanged</c> event may create it).</summary>
public sealed record SimulatedContract(string? ContractId, string? ExternalId, ContractState? State);

/// <summary>What to simulate: a client, maybe a contract, and events in the wire format (their <c>occurredAt</c> is the virtual clock).</summary>
public sealed record SimulationRequest(SimulatedClient? Client, SimulatedContract? Contract, List<JsonElement>? Events);

/// <summary>One notice of the simulation and what became of it.</summary>
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
/// What events would do to a client's notices: the real pipeline — event processing, rules, the
/// notice ledger, the send-time checks, registered as the service registers them — on a throw-away
/// in-memory SQLite database, with a virtual clock and the current settings. Notices fall due and
/// meet their checks at their own moment; a mailer that accepts everything stands in for the real
/// one. Writes nothing anywhere else.
/// </summary>
public sealed class Simulator
{
    private readonly SimulationSource _source;
    private readonly INoticeSettingsSource? _settings;

    /// <summary>The service's simulation: its configuration, its templates folder, the settings and the business calendars operators made.</summary>
    public Simulator(IConfiguration configuration, IHostEnvironment environment, INoticeSettingsSource settingsSource, BusinessCalendars calendars)
        : this(new SimulationSource(configuration, environment) { Calendars = calendars }, settingsSource)
    {
    }

    /// <param name="source">The configuration and content the pipeline is built from.</param>
    /// <param name="settings">The letters' settings; <c>null</c> for every letter's defaults.</param>
    internal Simulator(SimulationSource source, INoticeSettingsSource? settings)
    {
        _source = source;
        _settings = settings;
    }

    public const int MaxEvents = 200;

    /// <summary>Bounds the notices' attempts after the last event (retries of a client never known end failed well before).</summary>
    private const int MaxSends = 10_000;

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

        foreach (var (field, messages) in ValidateClient(request.Client))
        {
            errors[field] = messages;
        }

        return errors;
    }

    public async Task<SimulationResult> RunAsync(SimulationRequest request, IReadOnlyList<IEvent> events, CancellationToken cancellationToken)
    {
        var ordered = events.OrderBy(e => e.OccurredAt).ToList();
        var clock = new VirtualClock(ordered[0].OccurredAt);
        var settings = _settings is null ? null : await _settings.GetAllAsync(cancellationToken);
        await using var pipeline = await SimulationPipeline.StartAsync(_source, clock, settings, cancellationToken);
        if (ordered[0].ClientId is { } clientId)
        {
            await pipeline.SeedAsync(clientId, request.Client, request.Contract, cancellationToken);
        }

        var notes = new List<string>();
        foreach (var evt in ordered)
        {
            await SendDueAsync(pipeline, clock, evt.OccurredAt, cancellationToken);
            clock.MoveTo(evt.OccurredAt);
            var result = await pipeline.ProcessAsync(evt, cancellationToken);
            notes.AddRange(result.Notes.Select(note => $"{evt.EventId}: {Describe(note)}"));
            if (result.Conflict is { } conflict)
            {
                notes.Add($"{evt.EventId}: refused, the eventId names an earlier event with another body ({conflict.Paths} differ)");
            }
        }

        await SendDueAsync(pipeline, clock, DateTimeOffset.MaxValue, cancellationToken);
        return new SimulationResult(await pipeline.LettersAsync(cancellationToken), notes);
    }

    /// <summary>A note of the event processing, in the words the simulation shows.</summary>
    private static string Describe(EventNote note) => note switch
    {
        EventNote.Waiting { Missing: MissingData.Contract } waiting => $"contract {waiting.MissingId} unknown: the event waits for it, and runs when it arrives",
        EventNote.Waiting waiting => $"client profile unknown: the event waits for it, and runs when it arrives",
        EventNote.Resumed resumed => $"brought what {resumed.EventId} ({resumed.EventType}) waited for: it ran",
        EventNote.AlreadySent sent => $"already sent before, not made again: {string.Join(", ", sent.Kinds)}",
        _ => note.ToString(),
    };

    /// <summary>
    /// The client's fields as the service would refuse them in a <c>ClientProfileChanged</c> (the
    /// same checks, the same words), under <c>client.*</c>: a country as the service writes it
    /// (<c>rus</c>, not <c>RU</c>), a language tag, an IANA time zone, email addresses. A field not
    /// given is not checked.
    /// </summary>
    private static IEnumerable<(string, string[])> ValidateClient(SimulatedClient? client)
    {
        if (client is null)
        {
            return [];
        }

        var profile = new JsonObject
        {
            ["eventId"] = "simulated-client",
            ["type"] = nameof(ClientProfileChanged),
            ["occurredAt"] = "2026-01-01T00:00:00Z",
            ["clientId"] = "simulated-client",
            ["data"] = new JsonObject
            {
                ["name"] = client.Name ?? "Client",
                ["country"] = client.Country ?? "rus",
                ["locale"] = client.Locale ?? "ru",
                ["timeZone"] = client.TimeZone ?? "Europe/Moscow",
                ["emails"] = new JsonArray([.. (client.Emails ?? []).Select(e => (JsonNode?)e)]),
            },
        };
        return EventEnvelopeReader.Read(JsonSerializer.SerializeToElement(profile), now: null).Errors
            .Where(e => e.Key.StartsWith("data.", StringComparison.Ordinal))
            .Select(e => ($"client.{e.Key["data.".Length..]}", e.Value));
    }

    /// <summary>Sends the notices due by <paramref name="until"/>, each at its own moment, in the order they fall due.</summary>
    private static async Task SendDueAsync(SimulationPipeline pipeline, VirtualClock clock, DateTimeOffset until, CancellationToken cancellationToken)
    {
        for (var sends = 0; sends < MaxSends; sends++)
        {
            if (await pipeline.NextDueAsync(until, cancellationToken) is not { } next)
            {
                return;
            }

            clock.MoveTo(next.SendAt);
            await pipeline.SendAsync(next.Id, cancellationToken);
        }
    }
}

public static class SimulateApi
{
    public static IEndpointRouteBuilder MapSimulateApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/simulate", Simulate).WithName("Simulate").WithTags("Simulate").RequireAuthorization(Policies.Read)
            .WithSummary("What events would do to a client's notices, on a virtual clock, with the current settings; nothing is written");
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
