using System.Globalization;
using System.Text.Json;

namespace CorpNotifier.AdminUi;

/// <summary>One field an audited action changed: its dotted path and its value before and after (null when absent or null).</summary>
public sealed record FieldChange(string Field, string? Before, string? After);

/// <summary>
/// What an audited action changed, compactly: the audit keeps the whole target before and after
/// (a letter or a notice's settings as JSON); the console shows the fields that differ. Objects
/// are compared field by field (<c>slugs.kaz</c>), a list of dated entries entry by entry
/// (<c>daysOff.2027-03-15</c>, a calendar's days, each with its note), any other list as a whole, long values shortened.
/// </summary>
public static class AuditDiff
{
    public const int MaxValueLength = 80;

    /// <summary>What the audit records actions on.</summary>
    public static readonly string[] TargetTypes = [Admin.AuditTargets.Notice, Admin.AuditTargets.Settings, Admin.AuditTargets.ErrorQueue, Admin.AuditTargets.Calendar];

    /// <summary>Fields that change with every action and tell nothing the audit row does not (its time, its actor).</summary>
    public static readonly IReadOnlySet<string> Noise = new HashSet<string>(StringComparer.Ordinal) { "updatedAt", "updatedBy" };

    public static IReadOnlyList<FieldChange> Changes(JsonElement? before, JsonElement? after) => Changes(before, after, Noise);

    public static IReadOnlyList<FieldChange> Changes(JsonElement? before, JsonElement? after, IReadOnlySet<string> ignore)
    {
        var old = Flatten(before);
        var now = Flatten(after);
        var changes = new List<FieldChange>();
        foreach (var field in now.Keys.Concat(old.Keys.Where(k => !now.ContainsKey(k))))
        {
            if (ignore.Contains(field))
            {
                continue;
            }

            var was = old.GetValueOrDefault(field);
            var @is = now.GetValueOrDefault(field);
            if (!string.Equals(was, @is, StringComparison.Ordinal))
            {
                changes.Add(new FieldChange(field, Shorten(was), Shorten(@is)));
            }
        }

        return changes;
    }

    /// <summary>The target's fields as dotted paths in document order, each with its value as text (null for JSON null).</summary>
    public static Dictionary<string, string?> Flatten(JsonElement? element)
    {
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (element is { ValueKind: JsonValueKind.Object } root)
        {
            Add(fields, "", root);
        }

        return fields;
    }

    private static void Add(Dictionary<string, string?> fields, string prefix, JsonElement element)
    {
        // An object is its fields (an empty one none): a map that gains its first key shows that key only.
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                Add(fields, prefix.Length == 0 ? property.Name : $"{prefix}.{property.Name}", property.Value);
            }

            return;
        }

        // A list of dated entries (a calendar's days) is a map by date: a day added or removed shows alone.
        if (element.ValueKind == JsonValueKind.Array && element.GetArrayLength() > 0 && element.EnumerateArray().All(IsDated))
        {
            foreach (var entry in element.EnumerateArray())
            {
                var date = entry.GetProperty("date").GetString();
                var note = entry.TryGetProperty("note", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
                fields[$"{prefix}.{date}"] = string.IsNullOrWhiteSpace(note) ? date : note;
            }

            return;
        }

        fields[prefix] = Text(element);
    }

    private static bool IsDated(JsonElement entry) =>
        entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("date", out var date) && date.ValueKind == JsonValueKind.String;

    private static string? Text(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Array when element.EnumerateArray().All(e => e.ValueKind is JsonValueKind.String or JsonValueKind.Number) =>
            "[" + string.Join(", ", element.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : e.GetRawText())) + "]",
        JsonValueKind.Number => element.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => element.GetRawText(),
    };

    private static string? Shorten(string? value) =>
        value is { Length: > MaxValueLength } ? string.Concat(value.AsSpan(0, MaxValueLength - 1), "…") : value;

    /// <summary>
    /// The audit page's one target box: <c>notice:42</c> or <c>settings:LowBalanceNotice</c> (type and id),
    /// <c>notice</c> or <c>settings</c> (every target of that type), anything else an id of either type.
    /// </summary>
    public static (string? Type, string? Id) ParseTarget(string? target)
    {
        var text = target?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return (null, null);
        }

        foreach (var type in TargetTypes)
        {
            if (string.Equals(text, type, StringComparison.OrdinalIgnoreCase))
            {
                return (type, null);
            }

            if (text.StartsWith(type + ":", StringComparison.OrdinalIgnoreCase))
            {
                var id = text[(type.Length + 1)..].Trim();
                return (type, id.Length == 0 ? null : id);
            }
        }

        return (null, text);
    }

    /// <summary>The console page of an audited target, or null when it has none.</summary>
    public static string? TargetLink(string targetType, string targetId) => targetType switch
    {
        "notice" when long.TryParse(targetId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) =>
            "/admin/letters/" + id.ToString(CultureInfo.InvariantCulture),
        "settings" => "/admin/settings/" + Uri.EscapeDataString(targetId),
        "error_queue" => "/admin/errors/" + Uri.EscapeDataString(targetId),
        "calendar" when targetId.Split(' ') is [var country, var year] => $"/admin/calendars/{Uri.EscapeDataString(country)}/{Uri.EscapeDataString(year)}",
        _ => null,
    };
}
