using System.Globalization;
using System.Text.Json;

namespace CorpNotifier.Benchmarks.Load;

/// <summary>One event in the wire format (the body of <c>POST /api/v1/events</c>), ready to publish.</summary>
public sealed record WireEvent(string EventId, string ClientId, byte[] Body);

/// <summary>
/// The events the benchmark sends, written as a producer without the contracts package writes them
/// (README, "Any language: raw JSON on RabbitMQ"): a client's profile, a re-sync of its contract
/// (thresholds 100 / 25, no letter) and balance changes.
/// </summary>
public static class WireEvents
{
    public const decimal LowThreshold = 100m;
    public const decimal DeactivateThreshold = 25m;

    public static string ClientOf(int index) => $"bench-{index:D5}";

    public static string EmailOf(string clientId) => $"{clientId}@clients.example";

    public static string ContractOf(string clientId) => $"{clientId}-contract";

    public static WireEvent Profile(string clientId) => Write($"profile-{clientId}-{Guid.NewGuid():N}", "ClientProfileChanged", clientId, data =>
    {
        data.WriteString("name", "Acme LLC");
        data.WriteString("country", "rus");
        data.WriteString("locale", "ru");
        data.WriteString("timeZone", "Europe/Moscow");
        data.WriteStartArray("emails");
        data.WriteStringValue(EmailOf(clientId));
        data.WriteEndArray();
    });

    /// <summary>The contract as it already is (old = new): the directory learns its thresholds, no contract letter starts.</summary>
    public static WireEvent ContractResync(string clientId) => Write($"contract-{clientId}-{Guid.NewGuid():N}", "ContractChanged", clientId, data =>
    {
        data.WriteString("contractId", ContractOf(clientId));
        data.WriteString("externalId", $"ДГ-{clientId}");
        data.WritePropertyName("old");
        State(data);
        data.WritePropertyName("new");
        State(data);
    });

    /// <summary>A balance change of the client's contract; <paramref name="to"/> below 100 and at least 25, from at least 100, makes one low-balance letter.</summary>
    public static WireEvent Balance(string clientId, decimal from, decimal to, string idPrefix = "balance") => Write($"{idPrefix}-{clientId}-{Guid.NewGuid():N}", "BalanceChanged", clientId, data =>
    {
        data.WriteString("contractId", ContractOf(clientId));
        data.WriteNumber("oldBalance", from);
        data.WriteNumber("newBalance", to);
        data.WriteString("currency", "RUB");
    });

    /// <summary>How the service writes a balance into a letter's arguments (invariant culture, the scale as sent).</summary>
    public static string BalanceText(decimal balance) => balance.ToString(CultureInfo.InvariantCulture);

    private static void State(Utf8JsonWriter data)
    {
        data.WriteStartObject();
        data.WriteBoolean("isActive", true);
        data.WriteBoolean("isOffer", false);
        data.WriteBoolean("offerAccepted", true);
        data.WriteString("paymentType", "prepaid");
        data.WriteStartArray("services");
        data.WriteStringValue("taxi");
        data.WriteEndArray();
        data.WriteNumber("deactivateThreshold", DeactivateThreshold);
        data.WriteNumber("lowBalanceThreshold", LowThreshold);
        data.WriteBoolean("lowBalanceNotificationsEnabled", true);
        data.WriteEndObject();
    }

    private static WireEvent Write(string eventId, string type, string clientId, Action<Utf8JsonWriter> writeData)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("eventId", eventId);
            json.WriteString("type", type);
            json.WriteString("occurredAt", DateTimeOffset.UtcNow);
            json.WriteString("clientId", clientId);
            json.WriteStartObject("data");
            writeData(json);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return new WireEvent(eventId, clientId, buffer.ToArray());
    }
}
