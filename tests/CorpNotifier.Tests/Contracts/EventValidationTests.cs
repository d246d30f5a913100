using System.Text.Json;
using CorpNotifier.Contracts;
using CorpNotifier.Testing;

namespace CorpNotifier.Tests.Contracts;

/// <summary>
/// The producers' test kit (CorpNotifier.Testing) refuses what the service's intake refuses, with
/// the same words: each case is checked against the service's own validator.
/// </summary>
public sealed class EventValidationTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);

    private static readonly TestEvents Events = new(Now);

    /// <summary>One event of each kind of fault: the shape (the schema), and what only code checks.</summary>
    private static readonly Dictionary<string, IEvent> Invalid = new(StringComparer.Ordinal)
    {
        ["blank id"] = Events.Balance("client-42", 150m, 5m) with { ContractId = " " },
        ["id over 128 characters"] = Events.Balance("client-42", 150m, 5m) with { EventId = new string('e', 129) },
        ["currency in lower case"] = Events.Balance("client-42", 150m, 5m) with { Currency = "rub" },
        ["amount beyond 10^15"] = Events.Balance("client-42", 150m, 1e16m),
        ["several faults at once"] = Events.Balance("client-42", 150m, 5m) with { ContractId = "", Currency = "RUBLES", NewBalance = -1e16m },
        ["unknown code"] = Events.RequestCreated("client-42", contractType: "boat"),
        ["control character"] = Events.Profile("client-42") with { Name = "Acme\u0007LLC" },
        ["lone surrogate"] = Events.Profile("client-42") with { Name = "Acme \uD800" },
        ["unknown time zone"] = Events.Profile("client-42") with { TimeZone = "Mars/Olympus_Mons" },
        ["not an email address"] = Events.Profile("client-42", emails: ["billing@acme.example", "Boss <boss@acme.example>"]),
        ["before 2000"] = Events.Balance("client-42", 150m, 5m, at: new DateTimeOffset(1999, 12, 31, 0, 0, 0, TimeSpan.Zero)),
        ["over a day ahead"] = Events.Balance("client-42", 150m, 5m, at: Now.AddHours(25)),
        ["a country's details missing"] = Events.RequestCreated("client-42") with { Russia = null },
        ["a password the flow forbids"] = Events.Trial("client-42", flow: TrialFlows.ClientTrial, encryptedPassword: "gAAAAA-token"),
    };

    public static TheoryData<string> InvalidCases => [.. Invalid.Keys];

    [Fact]
    public void A_valid_event_has_no_fault()
    {
        foreach (var evt in new IEvent[] { Events.Balance("client-42", 150m, 5m), Events.Profile("client-42"), Events.RequestCreated("client-42") })
        {
            EventValidator.Validate(evt, Now).ShouldBeEmpty();
            EventValidation.Validate(evt, Now).ShouldBeEmpty();
            Should.NotThrow(() => EventValidation.EnsureValid(evt, Now));
        }
    }

    [Fact]
    public void Without_a_moment_the_real_clock_is_used()
    {
        EventValidation.Validate(TestEvents.RealTime.Balance("client-42", 150m, 5m)).ShouldBeEmpty();
        EventValidation.Validate(TestEvents.RealTime.Balance("client-42", 150m, 5m) with { OccurredAt = DateTimeOffset.UtcNow.AddDays(2) })
            .ShouldBe(["occurredAt: must not be more than 24 hours ahead of the service's clock"]);
    }

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void An_invalid_event_gets_the_faults_the_service_s_intake_gives(string name)
    {
        var evt = Invalid[name];
        var service = EventValidator.Validate(evt, Now);

        service.ShouldNotBeEmpty();
        EventValidation.Validate(evt, Now).ShouldBe(service.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}")).ToList());
    }

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void EnsureValid_throws_the_service_s_own_message(string name)
    {
        var evt = Invalid[name];
        var service = Should.Throw<InvalidEventException>(() => EventValidator.ThrowIfInvalid(evt, Now));

        var kit = Should.Throw<EventValidationException>(() => EventValidation.EnsureValid(evt, Now));

        kit.Message.ShouldBe(service.Message);
        kit.Errors.ShouldBe(EventValidation.Validate(evt, Now));
    }

    [Fact]
    public void Several_faults_are_all_named()
    {
        EventValidation.Validate(Invalid["several faults at once"], Now).ShouldBe(
            [
                "data.contractId: must not be blank and must not contain control characters",
                "data.newBalance: must be between -1000000000000000 and 1000000000000000",
                "data.currency: must be an ISO 4217 code of three capital letters, e.g. RUB",
            ],
            ignoreOrder: true);
    }

    [Theory]
    [InlineData("""{"eventId":"b-1","type":"BalanceChanged","occurredAt":"2026-11-26T10:00:00Z","clientId":"client-42","data":{"contractId":"contract-7","oldBalance":150,"newBalance":5,"currency":"RUB"}}""")]
    [InlineData("""{"eventId":"b-1","type":"BalanceChanged","occurredAt":"2026-11-26T10:00:00Z","clientId":"client-42","data":{"contractId":"contract-7","oldBalance":"150","newBalance":5,"currency":"RUB","note":"x"}}""")]
    [InlineData("""{"eventId":"b-1","type":"BalanceChange","occurredAt":"2026-02-30T10:00:00Z","clientId":"client-42","data":{}}""")]
    [InlineData("""{"eventId":"b-1","eventId":"b-2"}""")]
    [InlineData("""not json""")]
    public void The_wire_format_gets_the_faults_the_http_intake_gives(string json)
    {
        var service = EventEnvelopeReader.Read(System.Text.Encoding.UTF8.GetBytes(json), DateTimeOffset.UtcNow).Errors;

        EventValidation.ValidateJson(json).ShouldBe(service.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}")).ToList());
    }

    [Fact]
    public void The_schemas_are_the_ones_the_service_serves()
    {
        EventValidation.EventTypeNames.ShouldBe(EventTypes.ByName.Keys, ignoreOrder: true);
        foreach (var type in EventTypes.ByName.Keys)
        {
            EventValidation.Schema(type).ShouldBe(EventSchemas.ToText(EventSchemas.For(type)));
            JsonDocument.Parse(EventValidation.Schema(type)).RootElement.GetProperty("title").GetString().ShouldBe(type);
        }

        Should.Throw<ArgumentException>(() => EventValidation.Schema("BalanceChange")).Message.ShouldStartWith("unknown event type 'BalanceChange'");
    }
}
