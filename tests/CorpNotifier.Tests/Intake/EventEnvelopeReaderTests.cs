using CorpNotifier.Contracts;
using CorpNotifier.Intake;

namespace CorpNotifier.Tests.Intake;

public sealed class EventEnvelopeReaderTests
{
    private const string Balance = """
        {"eventId":"b-1","type":"BalanceChanged","occurredAt":"2026-11-26T10:00:00Z","clientId":"client-42",
         "data":{"contractId":"contract-7","oldBalance":150.50,"newBalance":5,"currency":"RUB"}}
        """;

    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    private static EnvelopeReadResult Read(string json) => EventEnvelopeReader.Read(System.Text.Encoding.UTF8.GetBytes(json), Now);

    [Fact]
    public void A_valid_event_becomes_its_typed_contract()
    {
        var evt = Read(Balance).Event.ShouldBeOfType<BalanceChanged>();
        evt.ShouldBe(new BalanceChanged
        {
            EventId = "b-1",
            OccurredAt = new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero),
            ClientId = "client-42",
            ContractId = "contract-7",
            OldBalance = 150.50m,
            NewBalance = 5m,
            Currency = "RUB",
        });
    }

    [Fact]
    public void Writing_and_reading_the_wire_format_round_trips()
    {
        var evt = Read(Balance).Event!;
        Read(EventEnvelopeReader.Write(evt).ToJsonString()).Event.ShouldBe(evt);
    }

    [Fact]
    public void A_field_the_contract_does_not_have_is_refused_by_name() =>
        Read(Balance.Replace("\"currency\":\"RUB\"", "\"currency\":\"RUB\",\"ledger\":\"main\"", StringComparison.Ordinal)).Errors["data.ledger"]
            .ShouldBe(["is not a field of this event"]);

    [Fact]
    public void Every_bad_field_is_reported_at_once()
    {
        var errors = Read("""
            {"eventId":"","type":"BalanceChanged","occurredAt":"soon","clientId":"c\nx",
             "data":{"oldBalance":"150","newBalance":5,"currency":"rub","extra":1}}
            """).Errors;
        errors.Keys.ShouldBe(["eventId", "occurredAt", "clientId", "data.contractId", "data.oldBalance", "data.currency", "data.extra"], ignoreOrder: true);
        errors["data.contractId"].ShouldBe(["is required"]);
        errors["data.oldBalance"].ShouldBe(["has the wrong type: expected a number"]);
    }

    [Fact]
    public void An_unknown_type_is_reported_with_the_envelope_s_other_faults()
    {
        var errors = Read("""{"eventId":"e","type":"Nope","occurredAt":"2026-11-26T10:00:00Z","data":{}}""").Errors;
        errors.Keys.ShouldBe(["type", "clientId"], ignoreOrder: true);
        errors["type"].Single().ShouldStartWith("unknown event type 'Nope'; known types are ");
    }

    [Theory]
    [InlineData("{\"eventId\":\"a\",\"eventId\":\"b\"}")]
    [InlineData("{\"eventId\": NaN}")]
    [InlineData("{\"eventId\": \"a\"")]
    public void Malformed_json_and_duplicate_keys_are_refused_as_malformed(string json) =>
        Read(json).Errors["$"].Single().ShouldStartWith("malformed JSON");

    [Theory]
    [InlineData("1999-12-31T23:59:59Z", "must not be before 2000-01-01")]
    [InlineData("2026-11-28T12:00:01Z", "must not be more than 24 hours ahead")]
    public void An_implausible_moment_is_refused(string occurredAt, string reason) =>
        Read(Balance.Replace("2026-11-26T10:00:00Z", occurredAt, StringComparison.Ordinal)).Errors["occurredAt"].Single().ShouldStartWith(reason);

    [Theory]
    [InlineData("[1,2]", "$", "the body must be a JSON object")]
    [InlineData("""{"type":"BalanceChanged"}""", "eventId", "is required")]
    [InlineData("""{"eventId":7}""", "eventId", "has the wrong type: expected a string")]
    [InlineData("""{"eventId":"e","type":"Nope","occurredAt":"2026-11-26T10:00:00Z","clientId":"c","data":{}}""", "type", "unknown event type 'Nope'")]
    [InlineData("""{"eventId":"e","type":"OrderCompleted","occurredAt":"yesterday","clientId":"c","data":{}}""", "occurredAt", "must be an ISO 8601 date-time")]
    [InlineData("""{"eventId":"e","type":"OrderCompleted","occurredAt":"2026-11-26T10:00:00Z","clientId":"c","data":[]}""", "data", "has the wrong type: expected an object")]
    [InlineData("""{"eventId":"e","type":"OrderCompleted","occurredAt":"2026-11-26T10:00:00Z","clientId":"c","data":{"orderId":"o"}}""", "data.service", "is required")]
    [InlineData("""{"eventId":"e","type":"OrderCompleted","occurredAt":"2026-11-26T10:00:00Z","clientId":"c","data":{"orderId":"o","service":null}}""", "data.service", "has the wrong type: expected a string")]
    [InlineData("""{"eventId":"e","type":"ContractChanged","occurredAt":"2026-11-26T10:00:00Z","clientId":"c","data":{"contractId":"k","new":{"paymentType":"barter"}}}""", "data.new.paymentType", "must be prepaid or postpaid")]
    [InlineData("""{"eventId":"e","type":"ContractChanged","occurredAt":"2026-11-26T10:00:00Z","clientId":"c","data":{"contractId":"k","new":{"paymentType":"prepaid","services":"taxi"}}}""", "data.new.services", "has the wrong type: expected an array")]
    [InlineData("""{"eventId":"e","type":"BalanceChanged","occurredAt":"2026-11-26T10:00:00Z","clientId":"c","data":{"contractId":"k","oldBalance":1e30,"newBalance":-2,"currency":"RUB"}}""", "data.oldBalance", "must be between")]
    [InlineData("""{"eventId":"e","type":"ClientProfileChanged","occurredAt":"2026-11-26T10:00:00Z","clientId":"c","data":{"name":"Acme\r\nBcc: x@y.example","country":"rus","locale":"ru","timeZone":"Europe/Moscow","emails":[]}}""", "data.name", "must not contain control characters")]
    [InlineData("""{"eventId":"e","type":"ClientProfileChanged","occurredAt":"2026-11-26T10:00:00Z","clientId":"c","data":{"name":"  ","country":"rus","locale":"ru","timeZone":"Europe/Moscow","emails":[]}}""", "data.name", "must not be blank")]
    [InlineData("""{"eventId":"e","type":"BalanceChanged","occurredAt":"2026-11-26T10:00:00Z","clientId":"c","data":{"contractId":"k","oldBalance":1,"newBalance":2,"currency":"rub"}}""", "data.currency", "must be an ISO 4217 code")]
    [InlineData("""{"eventId":"e","type":"ClientProfileChanged","occurredAt":"2026-11-26T10:00:00Z","clientId":"c","data":{"name":"n","country":"rus","locale":"ru","timeZone":"Mars/Base","emails":[]}}""", "data.timeZone", "must be an IANA time zone")]
    [InlineData("""{"eventId":"e","type":"ClientProfileChanged","occurredAt":"2026-11-26T10:00:00Z","clientId":"c","data":{"name":"n","country":"rus","locale":"ru","timeZone":"Europe/Moscow","emails":["ok@x.example","nope"]}}""", "data.emails[1]", "is not an email address")]
    public void A_bad_event_is_refused_with_the_field_and_the_reason(string json, string field, string reason)
    {
        var result = Read(json);
        result.IsValid.ShouldBeFalse();
        result.Errors.ShouldContainKey(field);
        result.Errors[field].ShouldContain(m => m.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public void An_event_id_longer_than_128_characters_is_refused() =>
        Read(Balance.Replace("\"b-1\"", $"\"{new string('x', 129)}\"", StringComparison.Ordinal)).Errors["eventId"]
            .ShouldBe(["must be at most 128 characters"]);
}
