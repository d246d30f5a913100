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

    public static JsonObject For(string eventType)
    {
        var type = EventTypes.ByName[eventType];
        var docs = XmlDocs.Load(type.Assembly);
        var flat = EventTypes.Json.GetJsonSchemaAsNode(type, new JsonSchemaExporterOptions
        {
            TreatNullObliviousAsNonNullable = true,
            TransformSchemaNode = (context, schema) =>
            {
                if (schema is JsonObject node && context.PropertyInfo?.AttributeProvider is System.Reflection.MemberInfo member
                    && docs.Summary(member) is { } summary)
                {
                    node.Insert(0, "description", summary);
                }

                return schema;
            },
        }).AsObject();

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
        Constrain(dataProperties);

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
        Constrain(envelope["properties"]!.AsObject());
        return envelope;
    }

    public static string ToText(JsonObject schema) =>
        schema.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";

    private static JsonNode Take(JsonObject properties, string name)
    {
        var node = properties[name]!;
        properties.Remove(name);
        return node;
    }

    /// <summary>The rules of <see cref="EventValidator"/> that a schema can say.</summary>
    private static void Constrain(JsonObject properties)
    {
        foreach (var id in new[] { "eventId", "clientId", "contractId", "orderId" })
        {
            if (properties[id] is JsonObject idSchema)
            {
                idSchema["minLength"] = 1;
                idSchema["maxLength"] = EventValidator.MaxIdLength;
            }
        }

        if (properties["currency"] is JsonObject currency)
        {
            currency["pattern"] = "^[A-Z]{3}$";
        }

        if (properties["country"] is JsonObject country)
        {
            country["pattern"] = "^[a-z]{3}$";
        }

        if (properties["occurredAt"] is JsonObject occurredAt)
        {
            occurredAt["format"] = "date-time";
        }

        foreach (var state in new[] { "new", "old" })
        {
            if (properties[state] is JsonObject stateSchema && stateSchema["properties"]?["paymentType"] is JsonObject paymentType)
            {
                paymentType["enum"] = new JsonArray("prepaid", "postpaid");
            }
        }
    }

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
