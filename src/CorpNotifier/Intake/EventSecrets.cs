using System.Text.Json.Nodes;

namespace CorpNotifier.Intake;

/// <summary>Fields of events that are secrets: they are masked before an event is stored (and wherever an event is shown).</summary>
public static class EventSecrets
{
    /// <summary>Secret fields under <c>data</c>, by event type, as dotted paths (<c>request.clientTmpPassword</c>): the rows' secrets (<see cref="EventType.Secrets"/>).</summary>
    public static readonly IReadOnlyDictionary<string, string[]> DataFields = EventTypes.All
        .Where(t => t.Secrets.Count > 0)
        .ToDictionary(t => t.Name, t => t.Secrets.Select(path => path.StartsWith("data.", StringComparison.Ordinal) ? path[5..] : throw new InvalidOperationException($"{t.Name}: the secret {path} is not under data")).ToArray());

    /// <summary>The wire-format event with its secret fields masked (in place). An empty or absent secret stays as it is.</summary>
    public static JsonObject Mask(JsonObject wire)
    {
        if (wire["type"]?.GetValue<string>() is { } type && DataFields.TryGetValue(type, out var fields) && wire["data"] is JsonObject data)
        {
            foreach (var path in fields)
            {
                var segments = path.Split('.');
                var holder = segments[..^1].Aggregate((JsonNode?)data, (node, segment) => node?[segment]) as JsonObject;
                if (holder?[segments[^1]] is JsonValue value && value.ToString() is { Length: > 0 })
                {
                    holder[segments[^1]] = Hosting.Secret.Masked;
                }
            }
        }

        return wire;
    }
}
