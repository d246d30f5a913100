using System.Text.Json.Nodes;

namespace CorpNotifier.Intake;

/// <summary>Fields of events that are secrets: they are masked before an event is stored.</summary>
public static class EventSecrets
{
    /// <summary>Secret fields under <c>data</c>, by event type.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> DataFields = new Dictionary<string, string[]>
    {
        ["ContractChanged"] = ["temporaryPassword"],
    };

    /// <summary>The wire-format event with its secret fields masked (in place).</summary>
    public static JsonObject Mask(JsonObject wire)
    {
        if (wire["type"]?.GetValue<string>() is { } type && DataFields.TryGetValue(type, out var fields) && wire["data"] is JsonObject data)
        {
            foreach (var field in fields.Where(f => data[f] is not null))
            {
                data[field] = Hosting.Secret.Masked;
            }
        }

        return wire;
    }
}
