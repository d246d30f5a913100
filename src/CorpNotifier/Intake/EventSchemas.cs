using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Xml.Linq;

namespace CorpNotifier.Intake;

/// <summary>
/// JSON Schemas of the wire format, generated from the C# contracts (the single source of truth)
/// and committed under <c>contracts/schemas/</c>; a test fails when the two drift. Descriptions come
/// from the contracts' XML documentation.
/// </summary>
public static class EventSchemas
{
    public const string Draft = "https://json-schema.org/draft/2020-12/schema";

    /// <summary>Amounts (balances, thresholds) lie within ± this value.</summary>
    public const decimal MaxAmount = 1_000_000_000_000_000m;

    /// <summary>
    /// Characters no text field may hold: the C0 and C1 control characters and the Unicode line and
    /// paragraph separators (no line breaks in a name or an id, nothing that splits a mail header).
    /// </summary>
    private const string Control = @"\u0000-\u001F\u007F-\u009F\u2028\u2029";

    /// <summary>
    /// Characters that show nothing: every Unicode space (spelled out, as <c>\s</c> differs between
    /// regular expression engines) and the zero-width ones.
    /// </summary>
    private const string Blank = @"\u0020\u00A0\u1680\u2000-\u200B\u202F\u205F\u3000\uFEFF";

    /// <summary>
    /// Text fields: at least one visible character, no control characters. Blanks, then a visible
    /// character, then the rest: each character can match one way only, so a long string is checked
    /// in linear time (no backtracking), however long a producer makes it.
    /// </summary>
    public const string TextPattern = "^[" + Blank + "]*[^" + Control + Blank + "][^" + Control + "]*$";

    /// <summary>Optional text fields: no control characters.</summary>
    public const string OptionalTextPattern = "^[^" + Control + "]*$";

    /// <summary>Text of several lines (a manager's notes, a reason): line breaks and tabs, but no other control characters.</summary>
    public const string MultilineTextPattern = @"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$";

    /// <summary>
    /// <c>occurredAt</c>: an RFC 3339 date-time with a capital T and an offset (Z or ±hh:mm), the form
    /// the service reads. Whether the moment exists (no February 30) is checked in code
    /// (<see cref="EventValidator"/>).
    /// </summary>
    public const string DateTimePattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$";

    public const string LocalePattern = "^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$";

    public const string DateTimeMessage = "must be an ISO 8601 date-time with an offset, e.g. 2026-11-26T10:00:00Z";

    /// <summary>What a pattern means, in the words an error uses.</summary>
    public static readonly IReadOnlyDictionary<string, string> PatternMessages = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [TextPattern] = "must not be blank and must not contain control characters",
        [OptionalTextPattern] = "must not contain control characters",
        [MultilineTextPattern] = "must not contain control characters other than line breaks and tabs",
        [LocalePattern] = "must be a language tag, e.g. ru or en",
        [DateTimePattern] = DateTimeMessage,
        ["^[A-Z]{3}$"] = "must be an ISO 4217 code of three capital letters, e.g. RUB",
        ["^[a-z]{3}$"] = "must be a lower-case ISO 3166 alpha-3 code, e.g. rus",
    };

    /// <summary>A text field's length when its row gives none.</summary>
    public const int DefaultMaxLength = 256;

    private static readonly Lazy<IReadOnlyDictionary<string, JsonObject>> Generated = new(() =>
        EventTypes.ByName.Keys.ToDictionary(name => name, Generate, StringComparer.Ordinal));

    /// <summary>The schema of an event type's wire format (a copy the caller may change).</summary>
    public static JsonObject For(string eventType) => (JsonObject)Generated.Value[eventType].DeepClone();

    /// <summary>The envelope every event shares, for a body whose <c>type</c> is missing or unknown: its other fields are still checked.</summary>
    public static JsonObject Envelope()
    {
        var schema = For(EventTypes.ByName.Keys.First());
        schema["$id"] = "https://corp-notifier/schemas/envelope.schema.json";
        schema["title"] = "Event envelope";
        schema["description"] = "The fields every event carries.";
        var properties = schema["properties"]!.AsObject();
        properties["type"] = new JsonObject { ["type"] = "string" };
        properties["data"] = new JsonObject { ["type"] = "object" };
        return schema;
    }

    public static string ToText(JsonObject schema) =>
        schema.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";

    private static JsonObject Generate(string eventType)
    {
        var type = EventTypes.ByName[eventType];
        var docs = XmlDocs.Load(type.Assembly);
        var flat = EventTypes.Json.GetJsonSchemaAsNode(type, new JsonSchemaExporterOptions
        {
            TreatNullObliviousAsNonNullable = true,
            TransformSchemaNode = (context, schema) =>
            {
                if (schema is JsonObject node && context.PropertyInfo?.AttributeProvider is System.Reflection.MemberInfo member)
                {
                    if (docs.Summary(member) is { } summary)
                    {
                        node.Insert(0, "description", summary);
                    }

                    // The codes a contract property allows ([AllowedValues] on the record) are an enum.
                    if (member.GetCustomAttributes(typeof(System.ComponentModel.DataAnnotations.AllowedValuesAttribute), inherit: true)
                        .OfType<System.ComponentModel.DataAnnotations.AllowedValuesAttribute>().FirstOrDefault() is { } allowed)
                    {
                        var values = allowed.Values.Select(v => (JsonNode?)JsonValue.Create(v?.ToString())).ToList();
                        if (TypesOf(node).Contains("null"))
                        {
                            values.Add(null);
                        }

                        node["enum"] = new JsonArray([.. values]);
                    }
                }

                return schema;
            },
        }).AsObject();

        // The exporter refers to a type it already described with "$ref"; the envelope below moves
        // properties around, so every reference is replaced by a copy of what it points to.
        InlineReferences(flat, flat);

        var properties = flat["properties"]!.AsObject();
        var required = flat["required"]?.AsArray().Select(r => r!.GetValue<string>()).ToHashSet() ?? [];

        var data = new JsonObject { ["type"] = "object" };
        var dataProperties = new JsonObject();
        foreach (var (name, schema) in properties.ToList())
        {
            if (!EventTypes.EnvelopeFields.Contains(name))
            {
                properties.Remove(name);
                dataProperties[name] = schema;
            }
        }

        data["properties"] = dataProperties;
        data["required"] = new JsonArray(dataProperties.Select(p => p.Key).Where(required.Contains).Select(n => (JsonNode)n).ToArray());

        var envelope = new JsonObject
        {
            ["$schema"] = Draft,
            ["$id"] = $"https://corp-notifier/schemas/{eventType}.schema.json",
            ["title"] = eventType,
            ["description"] = docs.Summary(type) ?? eventType,
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["eventId"] = Take(properties, "eventId"),
                ["type"] = new JsonObject { ["description"] = "The event type.", ["const"] = eventType },
                ["occurredAt"] = Take(properties, "occurredAt"),
                ["clientId"] = Take(properties, "clientId"),
                ["data"] = data,
            },
            ["required"] = new JsonArray("eventId", "type", "occurredAt", "clientId", "data"),
        };
        // The limits of the fields, by wire path: the envelope's, then the row's. Each must meet a
        // field: a path that names none is a mistake in the row, not a limit that silently holds nowhere.
        var limits = new Dictionary<string, FieldLimit>(EventTypes.EnvelopeLimits, StringComparer.Ordinal);
        foreach (var (path, limit) in EventTypes.Of(type).Limits)
        {
            limits[path] = limit;
        }

        var unused = new HashSet<string>(limits.Keys, StringComparer.Ordinal);
        Constrain(envelope, "", limits, unused);
        if (unused.Count > 0)
        {
            throw new InvalidOperationException($"EventTypes: the limits of {eventType} at {string.Join(", ", unused.Order(StringComparer.Ordinal))} name no field of its schema");
        }

        return envelope;
    }

    private static JsonNode Take(JsonObject properties, string name)
    {
        var node = properties[name]!;
        properties.Remove(name);
        return node;
    }

    private static void InlineReferences(JsonNode? node, JsonObject root)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["$ref"]?.GetValue<string>() is { } reference && reference.StartsWith("#/", StringComparison.Ordinal))
                {
                    var target = reference[2..].Split('/').Aggregate((JsonNode?)root, (current, segment) => current?[segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)]);
                    obj.Remove("$ref");
                    foreach (var (key, value) in ((JsonObject)target!.DeepClone()).ToList())
                    {
                        if (!obj.ContainsKey(key))
                        {
                            value!.Parent?.AsObject().Remove(key);
                            obj[key] = value;
                        }
                    }
                }

                foreach (var (_, child) in obj.ToList())
                {
                    InlineReferences(child, root);
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    InlineReferences(child, root);
                }

                break;
        }
    }

    /// <summary>
    /// The shape rules the C# types cannot carry, said once here: the schemas producers validate
    /// against are the ones the service validates with (<see cref="EventValidator"/>). Every text
    /// field is at most <see cref="DefaultMaxLength"/> characters without control characters (not
    /// blank unless it may be null); <paramref name="limits"/> say more of a field by its wire path
    /// (<c>data.request.country</c>, <c>data.emails[]</c> for every item of an array).
    /// </summary>
    private static void Constrain(JsonObject schema, string path, IReadOnlyDictionary<string, FieldLimit> limits, HashSet<string> unused)
    {
        var types = TypesOf(schema);
        var limit = limits.GetValueOrDefault(path);
        if (limit is not null)
        {
            unused.Remove(path);
        }

        if (schema["properties"] is JsonObject properties)
        {
            // The service owns the contracts and ships before producers use a newer package, so a
            // field it does not know is a mistake (a typo would otherwise be silently lost).
            schema["additionalProperties"] = false;
            foreach (var (property, child) in properties.ToList())
            {
                if (child is JsonObject childSchema)
                {
                    Constrain(childSchema, path.Length == 0 ? property : $"{path}.{property}", limits, unused);
                }
            }
        }

        if (types.Contains("string"))
        {
            var nullable = types.Contains("null");
            schema["maxLength"] = limit?.MaxLength ?? DefaultMaxLength;
            schema["pattern"] = limit?.Pattern ?? (nullable ? OptionalTextPattern : TextPattern);
            if (limit?.Format is { } format)
            {
                schema["format"] = format;
            }
        }

        // A map of text to text (where a client came from): its keys and values are text fields.
        if (schema["additionalProperties"] is JsonObject values)
        {
            schema["maxProperties"] = 50;
            schema["propertyNames"] = new JsonObject { ["maxLength"] = DefaultMaxLength, ["pattern"] = TextPattern };
            Constrain(values, $"{path}{{}}", limits, unused);
        }

        if (types.Contains("number"))
        {
            schema["minimum"] = -MaxAmount;
            schema["maximum"] = MaxAmount;
        }

        if (types.Contains("array"))
        {
            if (limit?.MaxItems is { } maxItems)
            {
                schema["maxItems"] = maxItems;
            }

            if (schema["items"] is JsonObject items)
            {
                Constrain(items, $"{path}[]", limits, unused);
            }
        }
    }

    private static HashSet<string> TypesOf(JsonObject schema) => schema["type"] switch
    {
        JsonValue value => [value.GetValue<string>()],
        JsonArray array => array.Select(t => t!.GetValue<string>()).ToHashSet(),
        _ => [],
    };

    private sealed class XmlDocs(XDocument? document)
    {
        public static XmlDocs Load(System.Reflection.Assembly assembly)
        {
            var path = Path.ChangeExtension(assembly.Location, ".xml");
            return new XmlDocs(File.Exists(path) ? XDocument.Load(path) : null);
        }

        public string? Summary(System.Reflection.MemberInfo member)
        {
            var id = member switch
            {
                Type t => $"T:{t.FullName}",
                System.Reflection.PropertyInfo p => $"P:{p.DeclaringType!.FullName}.{p.Name}",
                _ => null,
            };
            var element = document?.Descendants("member").FirstOrDefault(m => (string?)m.Attribute("name") == id);
            if (element?.Element("inheritdoc") is not null && member is System.Reflection.PropertyInfo property)
            {
                var inherited = typeof(Contracts.IEvent).GetProperty(property.Name);
                return inherited is null ? null : Summary(inherited);
            }

            var summary = element?.Element("summary");
            if (summary is null)
            {
                return null;
            }

            var text = string.Concat(summary.Nodes().Select(n => n switch
            {
                XElement { Name.LocalName: "see" } see => (string?)see.Attribute("cref") is { } cref ? cref[(cref.LastIndexOf('.') + 1)..] : see.Value,
                XElement e => e.Value,
                _ => n.ToString(),
            }));
            return string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        }
    }
}
