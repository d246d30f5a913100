using System.Text.Json;
using CorpNotifier.Contracts;
using CorpNotifier.Intake;

namespace CorpNotifier.Tests.Intake;

public sealed class EventEnvelopeReaderTests
{
    private const string Balance = """
        {"eventId":"b-1","type":"BalanceChanged","occurredAt":"2026-11-26T10:00:00Z","clientId":"client-42",
         "data":{"contractId":"contract-7","oldBalance":150.50,"newBalance":5,"currency":"RUB"}}
        """;

    private static EnvelopeReadResult Read(string json) => EventEnvelopeReader.Read(JsonDocument.Parse(json).RootElement);

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
    public void Unknown_fields_are_ignored_so_producers_may_be_newer_than_the_service() =>
        Read(Balance.Replace("\"currency\":\"RUB\"", "\"currency\":\"RUB\",\"ledger\":\"main\"", StringComparison.Ordinal)).IsValid.ShouldBeTrue();

    [Theory]
    [InlineData("[1,2]", "$", "the body must be a JSON object")]
    [InlineData("""{"type":"BalanceChanged"}""", "eventId", "is required")]
    [InlineData("""{"eventId":7}""", "eventId", "must be a string")]
    [InlineData("""{"eventId":"e","type":"Nope","occurredAt":"2026-11-26T10:00:00Z","clientId":"c","data":{}}""", "type", "unknown event type 'Nope'")]
    [InlineData("""{"eventId":"e","type":"OrderCompleted","occurredAt":"yesterday","clientId":"c","data":{}}""", "occurredAt", "must be an ISO 8601 date-time")]
    [InlineData("""{"eventId":"e","type":"OrderCompleted","occurredAt":"2026-11-26T10:00:00Z","clientId":"c","data":[]}""", "data", "must be a JSON object")]
    [InlineData("""{"eventId":"e","type":"OrderCompleted","occurredAt":"2026-11-26T10:00:00Z","clientId":"c","data":{"orderId":"o"}}""", "data.service", "is required")]
    [InlineData("""{"eventId":"e","type":"OrderCompleted","occurredAt":"2026-11-26T10:00:00Z","clientId":"c","data":{"orderId":"o","service":null}}""", "data.service", "has the wrong type: expected a string")]
    [InlineData("""{"eventId":"e","type":"ContractChanged","occurredAt":"2026-11-26T10:00:00Z","clientId":"c","data":{"contractId":"k","new":{"paymentType":"barter"}}}""", "data.new.paymentType", "must be prepaid or postpaid")]
    [InlineData("""{"eventId":"e","type":"ContractChanged","occurredAt":"2026-11-26T10:00:00Z","clientId":"c","data":{"contractId":"k","new":{"paymentType":"prepaid","services":"taxi"}}}""", "data.new.services", "has the wrong type: expected an array")]
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
