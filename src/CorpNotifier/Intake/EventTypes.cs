using System.Text.Json;
using CorpNotifier.Contracts;

namespace CorpNotifier.Intake;

/// <summary>The event types of the wire format, by their <c>type</c> name.</summary>
public static class EventTypes
{
    public static readonly IReadOnlyDictionary<string, Type> ByName = new Dictionary<string, Type>(StringComparer.Ordinal)
    {
        [nameof(ContractChanged)] = typeof(ContractChanged),
        [nameof(BalanceChanged)] = typeof(BalanceChanged),
        [nameof(OrderCompleted)] = typeof(OrderCompleted),
        [nameof(ClientProfileChanged)] = typeof(ClientProfileChanged),
        [nameof(ClientRequestCreated)] = typeof(ClientRequestCreated),
        [nameof(ClientRequestStatusChanged)] = typeof(ClientRequestStatusChanged),
        [nameof(ManagerRequestStatusChanged)] = typeof(ManagerRequestStatusChanged),
        [nameof(NewTrialClient)] = typeof(NewTrialClient),
        [nameof(DuplicateTrialClient)] = typeof(DuplicateTrialClient),
        [nameof(ContractSettingsChanged)] = typeof(ContractSettingsChanged),
        [nameof(ContractThresholdUpdated)] = typeof(ContractThresholdUpdated),
    };

    /// <summary>The fields every event carries at the top level of the wire format; the rest sits under <c>data</c>.</summary>
    public static readonly IReadOnlySet<string> EnvelopeFields = new HashSet<string>(StringComparer.Ordinal)
    {
        "eventId", "occurredAt", "clientId",
    };

    /// <summary>How events are read and written as JSON (<see cref="Hosting.AppJson.Contracts"/>).</summary>
    public static JsonSerializerOptions Json => Hosting.AppJson.Contracts;

    /// <summary>The wire path of a contract property: envelope fields at the top, the rest under <c>data</c>.</summary>
    public static string WirePath(string camelCasePath) =>
        EnvelopeFields.Contains(camelCasePath.Split('.', '[')[0]) ? camelCasePath : $"data.{camelCasePath}";
}
