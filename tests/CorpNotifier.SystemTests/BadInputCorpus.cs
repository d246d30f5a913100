using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace CorpNotifier.SystemTests;

/// <summary>
/// One bad input: the bytes as a producer sent them, and every field its refusal must name
/// (wire paths, <c>$</c> for the body as a whole). Over HTTP it is refused with <see cref="Status"/>;
/// on the bus (unless <see cref="HttpOnly"/>) it faults to the error queue with those fields.
/// </summary>
public sealed record BadInputCase(
    string Name,
    byte[] Body,
    IReadOnlyList<string> Fields,
    HttpStatusCode Status = HttpStatusCode.BadRequest,
    string? ContentType = "application/json",
    bool ExactFields = false)
{
    /// <summary>A case about HTTP itself (content type, size): there is no such thing on the bus.</summary>
    public bool HttpOnly => Status != HttpStatusCode.BadRequest || ContentType != "application/json";

    public override string ToString() => Name;
}

/// <summary>
/// What producers get wrong, and what an attacker tries: every way an event can be bad, as the
/// exact bytes that reach the service. Both ways in (HTTP and raw JSON on the bus) must refuse
/// each case naming every bad field, and change nothing.
/// </summary>
public static class BadInputCorpus
{
    public const string OccurredAt = "2026-11-26T10:00:00Z";

    /// <summary>The body limit of the HTTP intake (Intake:MaxBodyBytes).</summary>
    public const int MaxBodyBytes = 256 * 1024;

    public static IReadOnlyList<BadInputCase> All { get; } = Build();

    public static IReadOnlyList<BadInputCase> OnTheBus { get; } = All.Where(c => !c.HttpOnly).ToList();

    /// <summary>A valid balance event: every case below is one of these (or another type) broken in one or more ways.</summary>
    public static JsonObject Balance() => Envelope("BalanceChanged", new JsonObject
    {
        ["contractId"] = "contract-7",
        ["oldBalance"] = 150.50m,
        ["newBalance"] = 5,
        ["currency"] = "RUB",
    });

    public static JsonObject Contract() => Envelope("ContractChanged", new JsonObject
    {
        ["contractId"] = "contract-7",
        ["externalId"] = "ДГ-7",
        ["old"] = null,
        ["new"] = new JsonObject
        {
            ["isActive"] = true,
            ["offerAccepted"] = true,
            ["paymentType"] = "postpaid",
            ["services"] = new JsonArray("taxi"),
            ["lowBalanceThreshold"] = 100,
            ["deactivateThreshold"] = 25,
        },
    });

    public static JsonObject Order() => Envelope("OrderCompleted", new JsonObject
    {
        ["orderId"] = "order-1",
        ["service"] = "taxi",
    });

    public static JsonObject Profile() => Envelope("ClientProfileChanged", new JsonObject
    {
        ["name"] = "Acme LLC",
        ["country"] = "rus",
        ["locale"] = "ru",
        ["timeZone"] = "Europe/Moscow",
        ["emails"] = new JsonArray("billing@acme.example", "cfo@acme.example"),
    });

    private static JsonObject Envelope(string type, JsonObject data) => new()
    {
        ["eventId"] = "bad-input-1",
        ["type"] = type,
        ["occurredAt"] = OccurredAt,
        ["clientId"] = "client-42",
        ["data"] = data,
    };

    private static List<BadInputCase> Build()
    {
        var valid = Text(Balance());
        var cases = new List<BadInputCase>
        {
            // Not JSON at all, or not strict JSON.
            Raw("malformed: truncated", valid[..(valid.Length / 2)], "$"),
            Raw("malformed: trailing garbage", valid + "}garbage", "$"),
            Raw("malformed: two documents", valid + valid, "$"),
            Raw("malformed: NaN literal amount", Replace(valid, "\"oldBalance\":150.50", "\"oldBalance\":NaN"), "$"),
            Raw("malformed: Infinity literal amount", Replace(valid, "\"newBalance\":5", "\"newBalance\":-Infinity"), "$"),
            Raw("malformed: single quotes", valid.Replace('"', '\''), "$"),
            Raw("malformed: block comment", "/* billing v2 */" + valid, "$"),
            Raw("malformed: line comment", Replace(valid, "\"data\":", "// the payload\n\"data\":"), "$"),
            Raw("malformed: trailing comma", Replace(valid, "\"RUB\"}", "\"RUB\",}"), "$"),
            Raw("malformed: empty body", "", "$"),
            Raw("malformed: raw line break inside a string", Replace(valid, "\"client-42\"", "\"client\n42\""), "$"),
            Raw("malformed: nested 64 deep", Replace(valid, "\"RUB\"", "\"RUB\",\"x\":" + new string('[', 64) + new string(']', 64)), "$"),
            Raw("amount: double minus sign", Replace(valid, "\"newBalance\":5", "\"newBalance\":--5"), "$"),
            Raw("amount: plus sign", Replace(valid, "\"newBalance\":5", "\"newBalance\":+5"), "$"),
            Raw("amount: hexadecimal", Replace(valid, "\"newBalance\":5", "\"newBalance\":0x10"), "$"),
            Raw("duplicate key at the top level", Replace(valid, "\"clientId\":\"client-42\"", "\"clientId\":\"client-42\",\"clientId\":\"client-43\""), "clientId"),
            Raw("duplicate key inside data", Replace(valid, "\"newBalance\":5", "\"newBalance\":5,\"newBalance\":5000"), "data.newBalance"),

            // Not an object.
            Raw("body is a JSON array", "[" + valid + "]", "$"),
            Raw("body is a JSON number", "42", "$"),
            Raw("body is a JSON string", "\"BalanceChanged\"", "$"),
            Raw("body is JSON null", "null", "$"),

            // Wrong types.
            Case("wrong type: string for a number", Balance(), e => e["data"]!["oldBalance"] = "150.50", "data.oldBalance"),
            Case("wrong type: number for a string", Balance(), e => e["eventId"] = 12345, "eventId"),
            Case("wrong type: boolean for a string", Order(), e => e["data"]!["service"] = true, "data.service"),
            Case("wrong type: object for an array", Contract(), e => e["data"]!["new"]!["services"] = new JsonObject { ["taxi"] = true }, "data.new.services"),
            Case("wrong type: array for an object", Contract(), e => e["data"]!["new"] = new JsonArray("postpaid"), "data.new"),
            Case("wrong type: data is an array", Order(), e => e["data"] = new JsonArray(), "data"),
            Case("wrong type: boolean as a string", Contract(), e => e["data"]!["new"]!["isActive"] = "true", "data.new.isActive"),
            Case("wrong type: null for a required field", Balance(), e => e["data"]!["contractId"] = null, "data.contractId"),
            Case("wrong type: number for occurredAt", Balance(), e => e["occurredAt"] = 1764151200, "occurredAt"),
            Case("wrong type: number for type", Balance(), e => e["type"] = 7, "type"),

            // Missing fields.
            Case("missing: eventId and occurredAt", Balance(), e => Remove(e, "eventId", "occurredAt"), "eventId", "occurredAt"),
            Case("missing: type", Order(), e => Remove(e, "type"), "type"),
            Case("missing: data", Order(), e => Remove(e, "data"), "data"),
            Case("missing: BalanceChanged currency and contractId", Balance(), e => Remove(e["data"]!.AsObject(), "currency", "contractId"), "data.currency", "data.contractId"),
            Case("missing: ContractChanged new", Contract(), e => Remove(e["data"]!.AsObject(), "new"), "data.new"),
            Case("missing: ContractChanged new.paymentType", Contract(), e => Remove(e["data"]!["new"]!.AsObject(), "paymentType"), "data.new.paymentType"),
            Case("missing: OrderCompleted orderId and service", Order(), e => Remove(e["data"]!.AsObject(), "orderId", "service"), "data.orderId", "data.service"),
            Case("missing: ClientProfileChanged name and timeZone", Profile(), e => Remove(e["data"]!.AsObject(), "name", "timeZone"), "data.name", "data.timeZone"),

            // Fields the contract does not have.
            Case("extra field at the top level", Balance(), e => e["source"] = "billing", "source"),
            Case("extra field in data", Balance(), e => e["data"]!["ledger"] = "main", "data.ledger"),
            Case("extra field in a nested contract state", Contract(), e => e["data"]!["new"]!["discount"] = 5, "data.new.discount"),
            Case("field name in the wrong case", Balance(), e =>
            {
                Remove(e, "eventId");
                e["EventId"] = "bad-input-1";
            }, "EventId", "eventId"),

            // Empty, blank, too long.
            Case("empty string: eventId", Balance(), e => e["eventId"] = "", "eventId"),
            Case("empty string: currency", Balance(), e => e["data"]!["currency"] = "", "data.currency"),
            Case("whitespace only: name", Profile(), e => e["data"]!["name"] = "   ", "data.name"),
            Case("whitespace only: clientId of no-break spaces", Order(), e => e["clientId"] = "\u00A0\u2003", "clientId"),
            Case("huge: eventId of 129 characters", Balance(), e => e["eventId"] = new string('e', 129), "eventId"),
            Case("huge: contractId of 1000 characters", Balance(), e => e["data"]!["contractId"] = new string('c', 1000), "data.contractId"),
            Case("huge: a name of 10 000 characters", Profile(), e => e["data"]!["name"] = new string('N', 10_000), "data.name"),
            Case("huge: a 200 000-character name ending in NUL", Profile(), e => e["data"]!["name"] = new string('a', 200_000) + "\u0000", "data.name"),
            Case("huge: unknown type of 200 000 characters", Balance(), e => e["type"] = new string('T', 200_000), "type"),
            Case("huge: 51 emails", Profile(), e => e["data"]!["emails"] = new JsonArray(Enumerable.Range(0, 51).Select(i => (JsonNode)$"user{i}@acme.example").ToArray()), "data.emails"),

            // Control characters.
            Case("control character: NUL in a name", Profile(), e => e["data"]!["name"] = "Acme\u0000LLC", "data.name"),
            Case("control character: CR LF in a name (header injection)", Profile(), e => e["data"]!["name"] = "Acme LLC\r\nBcc: x@y.example", "data.name"),
            Case("control character: BEL in an id", Balance(), e => e["eventId"] = "bad\u0007input", "eventId"),
            Case("control character: NEL (C1) in an external id", Contract(), e => e["data"]!["externalId"] = "ДГ-7\u0085Bcc: x@y.example", "data.externalId"),

            // Not text.
            Bytes("invalid UTF-8 in a name", Utf8Splice(Text(Profile()), "Acme LLC", [0x41, 0xC3, 0x28, 0x42]), "data.name"),
            Bytes("invalid UTF-8: a lone 0xFF byte in an id", Utf8Splice(valid, "bad-input-1", [0x62, 0xFF, 0x31]), "eventId"),
            Raw("lone surrogate escape in a name", Replace(Text(Profile()), "Acme LLC", "Acme \\uD800 LLC"), "data.name"),
            Bytes("invalid UTF-8 in a field name", Utf8Splice(Replace(valid, "\"data\":{", "\"data\":{\"x-field\":1,"), "x-field", [0x78, 0xC0, 0xAF]), "data"),
            Raw("lone surrogate escape in a field name", Replace(valid, "\"data\":{", "\"data\":{\"\\uDC00\":1,"), "$"),

            // Emails.
            Case("email: header injection with CR LF", Profile(), e => e["data"]!["emails"] = new JsonArray("a@b.example\r\nBcc: x@y.example"), "data.emails[0]"),
            Case("email: a second address smuggled in", Profile(), e => e["data"]!["emails"] = new JsonArray("billing@acme.example", "a@b.example>, <x@y.example"), "data.emails[1]"),
            Case("email: a display name and an address", Profile(), e => e["data"]!["emails"] = new JsonArray("Boss<x@y.example>"), "data.emails[0]"),
            Case("email: an invalid one among valid ones", Profile(), e => e["data"]!["emails"] = new JsonArray("billing@acme.example", "not-an-email", "cfo@acme.example"), "data.emails[1]"),

            // Amounts.
            Raw("amount: 1e400", Replace(valid, "\"oldBalance\":150.50", "\"oldBalance\":1e400"), "data.oldBalance"),
            Raw("amount: 1e16", Replace(valid, "\"newBalance\":5", "\"newBalance\":1e16"), "data.newBalance"),
            Raw("amount: -1e16", Replace(valid, "\"newBalance\":5", "\"newBalance\":-1e16"), "data.newBalance"),
            Raw("amount: -1e400 threshold in a contract state", Replace(Text(Contract()), "\"lowBalanceThreshold\":100", "\"lowBalanceThreshold\":-1e400"), "data.new.lowBalanceThreshold"),
            Case("amount: NaN as a string", Balance(), e => e["data"]!["newBalance"] = "NaN", "data.newBalance"),

            // Moments.
            Case("occurredAt: 1970", Balance(), e => e["occurredAt"] = "1970-01-01T00:00:00Z", "occurredAt"),
            Case("occurredAt: year 1", Balance(), e => e["occurredAt"] = "0001-01-01T00:00:00Z", "occurredAt"),
            Case("occurredAt: 2999", Balance(), e => e["occurredAt"] = "2999-01-01T00:00:00Z", "occurredAt"),
            Case("occurredAt: not a date", Balance(), e => e["occurredAt"] = "yesterday", "occurredAt"),
            Case("occurredAt: no offset", Balance(), e => e["occurredAt"] = "2026-11-26T10:00:00", "occurredAt"),
            Case("occurredAt: year 0", Balance(), e => e["occurredAt"] = "0000-01-01T00:00:00Z", "occurredAt"),
            Case("occurredAt: month 13", Balance(), e => e["occurredAt"] = "2026-13-01T10:00:00Z", "occurredAt"),
            Case("occurredAt: a space for the T", Balance(), e => e["occurredAt"] = "2026-11-26 10:00:00Z", "occurredAt"),
            Case("occurredAt: leap second", Balance(), e => e["occurredAt"] = "2025-12-31T23:59:60Z", "occurredAt"),
            Case("occurredAt: February 30", Balance(), e => e["occurredAt"] = "2026-02-30T10:00:00Z", "occurredAt"),
            Case("occurredAt: offset +25:00", Balance(), e => e["occurredAt"] = "2026-11-26T10:00:00+25:00", "occurredAt"),
            Case("occurredAt: beyond the last representable moment", Balance(), e => e["occurredAt"] = "9999-12-31T23:59:59-01:00", "occurredAt"),

            // Types and values.
            Case("unknown type", Balance(), e => e["type"] = "ContractSigned", "type"),
            Case("type of the wrong case", Balance(), e => e["type"] = "balancechanged", "type"),
            Case("payment type not in the list", Contract(), e => e["data"]!["new"]!["paymentType"] = "barter", "data.new.paymentType"),
            Case("currency in lower case", Balance(), e => e["data"]!["currency"] = "rub", "data.currency"),
            Case("time zone that is not IANA", Profile(), e => e["data"]!["timeZone"] = "Mars/Olympus_Mons", "data.timeZone"),
            Case("time zone as a path", Profile(), e => e["data"]!["timeZone"] = "../../../etc/passwd", "data.timeZone"),

            // Many faults at once: the refusal names every one, and nothing else.
            Case(
                "many bad fields at once",
                Balance(),
                e =>
                {
                    e["eventId"] = "";
                    e["occurredAt"] = "soon";
                    e["clientId"] = 42;
                    e["data"]!["oldBalance"] = "a lot";
                    e["data"]!["currency"] = "rub";
                    e["data"]!["ledger"] = "main";
                    Remove(e["data"]!.AsObject(), "contractId");
                },
                "eventId", "occurredAt", "clientId", "data.oldBalance", "data.currency", "data.ledger", "data.contractId") with { ExactFields = true },

            // HTTP only: the request, not the event, is wrong.
            new("http: text/plain", Encoding.UTF8.GetBytes(valid), [], HttpStatusCode.UnsupportedMediaType, "text/plain"),
            new("http: no content type", Encoding.UTF8.GetBytes(valid), [], HttpStatusCode.UnsupportedMediaType, null),
            new("http: application/xml", Encoding.UTF8.GetBytes("<event/>"), [], HttpStatusCode.UnsupportedMediaType, "application/xml"),
            new("http: body over 256 KiB", Encoding.UTF8.GetBytes(Oversized()), [], HttpStatusCode.RequestEntityTooLarge),
        };
        return cases;
    }

    private static BadInputCase Raw(string name, string text, params string[] fields) => new(name, Encoding.UTF8.GetBytes(text), fields);

    private static BadInputCase Bytes(string name, byte[] body, params string[] fields) => new(name, body, fields);

    private static BadInputCase Case(string name, JsonObject evt, Action<JsonObject> spoil, params string[] fields)
    {
        spoil(evt);
        return Raw(name, Text(evt), fields);
    }

    private static void Remove(JsonObject obj, params string[] names)
    {
        foreach (var name in names)
        {
            obj.Remove(name).ShouldBeTrue(name);
        }
    }

    /// <summary>Compact JSON, non-ASCII letters as they are; control characters escaped as JSON requires.</summary>
    public static string Text(JsonNode node) =>
        node.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    private static string Replace(string text, string what, string with) =>
        text.Contains(what, StringComparison.Ordinal) ? text.Replace(what, with, StringComparison.Ordinal) : throw new ArgumentException($"'{what}' is not in {text}");

    /// <summary>The UTF-8 of <paramref name="text"/> with <paramref name="what"/> replaced by raw bytes (which need not be UTF-8).</summary>
    private static byte[] Utf8Splice(string text, string what, byte[] with)
    {
        var at = text.IndexOf(what, StringComparison.Ordinal);
        at.ShouldBeGreaterThanOrEqualTo(0);
        return [.. Encoding.UTF8.GetBytes(text[..at]), .. with, .. Encoding.UTF8.GetBytes(text[(at + what.Length)..])];
    }

    /// <summary>A well-formed event just over the limit (its size, not its content, is the fault).</summary>
    private static string Oversized()
    {
        var evt = Profile();
        evt["data"]!["name"] = new string('x', MaxBodyBytes);
        return Text(evt);
    }
}
