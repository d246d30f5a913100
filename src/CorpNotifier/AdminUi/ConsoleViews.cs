using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using CorpNotifier.Intake;

namespace CorpNotifier.AdminUi;

/// <summary>An event's stored payload as the console shows it.</summary>
public static class EventPayload
{
    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        // Shown as text in a <pre>, escaped by the page: Cyrillic and quotes stay readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// Indented JSON with the secrets masked as <see cref="EventSecrets"/> masks them before an event
    /// is stored (again, so an event stored before a field was known as secret is shown masked too).
    /// </summary>
    public static string Pretty(JsonElement payload)
    {
        var node = JsonNode.Parse(payload.GetRawText());
        if (node is JsonObject wire)
        {
            EventSecrets.Mask(wire);
        }

        return node?.ToJsonString(Indented) ?? "null";
    }
}
