using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using CorpNotifier.Admin;
using CorpNotifier.Hosting;
using CorpNotifier.Intake;
using CorpNotifier.Notices;

namespace CorpNotifier.AdminUi;

/// <summary>
/// The admin API's answers as the console's lists take them: the pages ask the API's own
/// functions (so a list means on a page what it means in the API) and show the letters they
/// return with <c>NoticeTable</c>.
/// </summary>
public static class ConsoleNotices
{
    /// <summary>A letter the API returned, as a read-only <see cref="Notice"/> for display (never saved).</summary>
    public static Notice FromView(NoticeView view) => new()
    {
        Id = view.Id,
        Kind = view.Kind,
        Status = WireName.Parse<NoticeStatus>(view.Status),
        Origin = WireName.Parse<NoticeOrigin>(view.Origin),
        ClientId = view.ClientId,
        ContractId = view.ContractId,
        SendAt = view.SendAt,
        SentAt = view.SentAt,
        Attempts = view.Attempts,
        ReasonCode = view.ReasonCode,
        Reason = view.Reason,
        EventId = view.EventId,
        DequeuedByEventId = view.DequeuedByEventId,
        DequeuedBy = view.DequeuedBy,
        SentTo = [.. view.SentTo],
        SentSlug = view.Slug,
        ProviderMessageId = view.ProviderMessageId,
        ResendOfId = view.ResendOfId,
        CreatedAt = view.CreatedAt,
        UpdatedAt = view.UpdatedAt,
    };

    public static IReadOnlyList<Notice> FromViews(IEnumerable<NoticeView> views) => [.. views.Select(FromView)];
}

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
