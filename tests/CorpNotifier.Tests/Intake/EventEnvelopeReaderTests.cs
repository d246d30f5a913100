using CorpNotifier.Contracts;

namespace CorpNotifier.Tests.Intake;

public sealed class EventEnvelopeReaderTests
{
    private const string Balance = """
        {"eventId":"b-1","type":"BalanceChanged","occurredAt":"2026-11-26T10:00:00Z","clientId":"client-42",
         "data":{"contractId":"contract-7","oldBalance":150.50,"newBalance":5,"currency":"RUB"}}
        """;

    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A valid profile in the wire format, with the given name (JSON string content, escapes allowed) and emails.</summary>
    private static string Profile(string name = "Acme LLC", string[]? emails = null) =>
        "{\"eventId\":\"p-1\",\"type\":\"ClientProfileChanged\",\"occurredAt\":\"2026-11-26T10:00:00Z\",\"clientId\":\"client-42\","
        + "\"data\":{\"name\":\"" + name + "\",\"country\":\"rus\",\"locale\":\"ru\",\"timeZone\":\"Europe/Moscow\","
        + "\"emails\":" + System.Text.Json.JsonSerializer.Serialize(emails ?? ["billing@acme.example"]) + "}}";

    /// <summary>The reasons of the one field a refusal names (failing when it names others).</summary>
    private static string[] OnlyError(EnvelopeReadResult result, string field, string what)
    {
        result.Errors.Keys.ShouldBe([field], what);
        return result.Errors[field];
    }

    private static EnvelopeReadResult Read(string json) => EventEnvelopeReader.Read(System.Text.Encoding.UTF8.GetBytes(json), Now);

    [Fact]
    public void A_valid_event_becomes_its_typed_contract()
    {
        var evt = Read(Balance).Event.ShouldBeOfType<BalanceChanged>();
        evt.ShouldBe(new BalanceChanged
        {
            EventId = "b-1",
            OccurredAt = new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero),
            ClientId = "client-42",
            ContractId = "contract-7",
            OldBalance = 150.50m,
            NewBalance = 5m,
            Currency = "RUB",
        });
    }

    [Fact]
    public void Writing_and_reading_the_wire_format_round_trips()
    {
        var evt = Read(Balance).Event!;
        Read(EventEnvelopeReader.Write(evt).ToJsonString()).Event.ShouldBe(evt);
    }

    [Fact]
    public void A_field_the_contract_does_not_have_is_refused_by_name() =>
        Read(Balance.Replace("\"currency\":\"RUB\"", "\"currency\":\"RUB\",\"ledger\":\"main\"", StringComparison.Ordinal)).Errors["data.ledger"]
            .ShouldBe(["is not a field of this event"]);

    [Fact]
    public void Every_bad_field_is_reported_at_once()
    {
        var errors = Read("""
            {"eventId":"","type":"BalanceChanged","occurredAt":"soon","clientId":"c\nx",
             "data":{"oldBalance":"150","newBalance":5,"currency":"rub","extra":1}}
            """).Errors;
        errors.Keys.ShouldBe(["eventId", "occurredAt", "clientId", "data.contractId", "data.oldBalance", "data.currency", "data.extra"], ignoreOrder: true);
        errors["data.contractId"].ShouldBe(["is required"]);
        errors["data.oldBalance"].ShouldBe(["has the wrong type: expected a number"]);
    }

    [Fact]
    public void An_unknown_type_is_reported_with_the_envelope_s_other_faults()
    {
        var errors = Read("""{"eventId":"e","type":"Nope","occurredAt":"2026-11-26T10:00:00Z","data":{}}""").Errors;
        errors.Keys.ShouldBe(["type", "clientId"], ignoreOrder: true);
        errors["type"].Single().ShouldStartWith("unknown event type 'Nope'; known types are ");
    }

    [Theory]
    [InlineData("{\"eventId\": NaN}")]
    [InlineData("{\"eventId\": \"a\"")]
    public void Malformed_json_is_refused_as_malformed(string json) =>
        Read(json).Errors["$"].Single().ShouldStartWith("malformed JSON");

    [Theory]
    [InlineData("{\"eventId\":\"a\",\"eventId\":\"b\"}", "eventId", "line 1, column 16")]
    [InlineData("{\"data\":{\"x\":1,\n \"x\":2}}", "data.x", "line 2, column 2")]
    [InlineData("{\"data\":{\"list\":[{\"a\":1},{\"a\":1,\"a\":2}]}}", "data.list[1].a", "line 1, column 33")]
    public void A_key_given_twice_is_refused_at_its_own_path_with_where_it_repeats(string json, string path, string where)
    {
        var reason = OnlyError(Read(json), path, json).Single();

        reason.ShouldBe($"is given twice (again at {where}); give each field once");
    }

    [Theory]
    [InlineData("", "malformed JSON: the body is empty; send one JSON object")]
    [InlineData("{\"eventId\": \"a\"", "malformed JSON at line 1, column 16, in eventId: the JSON ends before it is complete (a string, an object or an array is not closed)")]
    [InlineData("{\"data\": {\"oldBalance\": NaN}}", "malformed JSON at line 1, column 25, in data.oldBalance: NaN is not a JSON value (numbers are digits such as 150.50, text is in double quotes, and the only words are true, false and null)")]
    [InlineData("{\"data\": {\"newBalance\": --5}}", "malformed JSON at line 1, column 26, in data.newBalance: --5 is not a number as JSON writes one (digits with an optional minus sign, decimal point and exponent, e.g. -150.50 or 1e3)")]
    [InlineData("{\"a\": 1}\n{\"a\": 1}", "malformed JSON at line 2, column 1: there is more after the JSON object; send one JSON object")]
    [InlineData("{\n  // the payload\n  \"a\": 1}", "malformed JSON at line 2, column 3: comments (// or /* */) are not allowed in JSON")]
    [InlineData("{'a': 1}", "malformed JSON at line 1, column 2: text and field names are written in double quotes (\"), not single ones")]
    [InlineData("{\"data\": {\"currency\": \"RUB\",}}", "malformed JSON at line 1, column 29, in data.currency: a comma before a closing } or ] is not allowed")]
    [InlineData("{\"clientId\": \"client\n42\"}", "malformed JSON at line 1, column 21, in clientId: a line break, tab or other control character inside text must be written as an escape (\\n, \\t, \\u0000)")]
    public void Malformed_json_is_told_in_words_with_its_line_column_and_field(string json, string message)
    {
        var reason = OnlyError(Read(json), "$", json).Single();

        reason.ShouldBe(message);
        reason.ShouldNotContain("BytePositionInLine");
        reason.ShouldNotContain("reader options");
    }

    [Fact]
    public void Nesting_deeper_than_the_limit_is_told_as_such() =>
        Read(Balance.Replace("\"RUB\"", "\"RUB\",\"x\":" + new string('[', 64) + new string(']', 64), StringComparison.Ordinal)).Errors["$"].Single()
            .ShouldEndWith("objects and arrays are nested more than 32 deep");

    [Theory]
    [InlineData("1999-12-31T23:59:59Z", "must not be before 2000-01-01")]
    [InlineData("2026-11-28T12:00:01Z", "must not be more than 24 hours ahead")]
    public void An_implausible_moment_is_refused(string occurredAt, string reason) =>
        Read(Balance.Replace("2026-11-26T10:00:00Z", occurredAt, StringComparison.Ordinal)).Errors["occurredAt"].Single().ShouldStartWith(reason);

    [Theory]
    [InlineData("[1,2]", "$", "the body must be a JSON object")]
    [InlineData("""{"type":"BalanceChanged"}""", "eventId", "is required")]
    [InlineData("""{"eventId":7}""", "eventId", "has the wrong type: expected a string")]
    [InlineData("""{"eventId":"e","type":"Nope","occurredAt":"2026-11-26T10:00:00Z","clientId":"c","data":{}}""", "type", "unknown event type 'Nope'")]
    [InlineData("""{"eventId":"e","type":"OrderCompleted","occurredAt":"yesterday","clientId":"c","data":{}}""", "occurredAt", "must be an ISO 8601 date-time")]
    [InlineData("""{"eventId":"e","type":"OrderCompleted","occurredAt":"2026-11-26T10:00:00Z","clientId":"c","data":[]}""", "data", "has the wrong type: expected an object")]
    [InlineData("""{"eventId":"e","type":"OrderCompleted","occurredAt":"2026-11-26T10:00:00Z","clientId":"c","data":{"orderId":"o"}}""", "data.service", "is required")]
    [InlineData("""{"eventId":"e","type":"OrderCompleted","occurredAt":"2026-11-26T10:00:00Z","clientId":"c","data":{"orderId":"o","service":null}}""", "data.service", "has the wrong type: expected a string")]
    [InlineData("""{"eventId":"e","type":"ContractChanged","occurredAt":"2026-11-26T10:00:00Z","clientId":"c","data":{"contractId":"k","new":{"paymentType":"barter"}}}""", "data.new.paymentType", "must be prepaid or postpaid")]
    [InlineData("""{"eventId":"e","type":"ContractChanged","occurredAt":"2026-11-26T10:00:00Z","clientId":"c","data":{"contractId":"k","new":{"paymentType":"prepaid","services":"taxi"}}}""", "data.new.services", "has the wrong type: expected an array")]
    [InlineData("""{"eventId":"e","type":"BalanceChanged","occurredAt":"2026-11-26T10:00:00Z","clientId":"c","data":{"contractId":"k","oldBalance":1e30,"newBalance":-2,"currency":"RUB"}}""", "data.oldBalance", "must be between")]
    [InlineData("""{"eventId":"e","type":"ClientProfileChanged","occurredAt":"2026-11-26T10:00:00Z","clientId":"c","data":{"name":"Acme\r\nBcc: x@y.example","country":"rus","locale":"ru","timeZone":"Europe/Moscow","emails":[]}}""", "data.name", "must not contain control characters")]
    [InlineData("""{"eventId":"e","type":"ClientProfileChanged","occurredAt":"2026-11-26T10:00:00Z","clientId":"c","data":{"name":"  ","country":"rus","locale":"ru","timeZone":"Europe/Moscow","emails":[]}}""", "data.name", "must not be blank")]
    [InlineData("""{"eventId":"e","type":"BalanceChanged","occurredAt":"2026-11-26T10:00:00Z","clientId":"c","data":{"contractId":"k","oldBalance":1,"newBalance":2,"currency":"rub"}}""", "data.currency", "must be an ISO 4217 code")]
    [InlineData("""{"eventId":"e","type":"ClientProfileChanged","occurredAt":"2026-11-26T10:00:00Z","clientId":"c","data":{"name":"n","country":"rus","locale":"ru","timeZone":"Mars/Base","emails":[]}}""", "data.timeZone", "must be an IANA time zone")]
    [InlineData("""{"eventId":"e","type":"ClientProfileChanged","occurredAt":"2026-11-26T10:00:00Z","clientId":"c","data":{"name":"n","country":"rus","locale":"ru","timeZone":"Europe/Moscow","emails":["ok@x.example","nope"]}}""", "data.emails[1]", "is not an email address")]
    public void A_bad_event_is_refused_with_the_field_and_the_reason(string json, string field, string reason)
    {
        var result = Read(json);
        result.IsValid.ShouldBeFalse();
        result.Errors.ShouldContainKey(field);
        result.Errors[field].ShouldContain(m => m.Contains(reason, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("\u00A0\u2003", "no-break and em spaces")]
    [InlineData("\u200B\uFEFF", "zero-width spaces")]
    [InlineData(" \u3000 ", "ideographic space")]
    public void A_name_of_unicode_spaces_only_is_blank(string name, string what) =>
        Read(Profile(name: name)).Errors["data.name"].ShouldBe(["must not be blank and must not contain control characters"], what);

    [Theory]
    [InlineData("Acme\u0085Bcc: x@y.example", "NEL, a C1 control character")]
    [InlineData("Acme\u009BLLC", "CSI, a C1 control character")]
    [InlineData("Acme\u2028LLC", "line separator")]
    [InlineData("Acme\u2029LLC", "paragraph separator")]
    public void A_name_with_a_c1_control_character_or_a_unicode_line_break_is_refused(string name, string what) =>
        Read(Profile(name: name)).Errors["data.name"].ShouldBe(["must not be blank and must not contain control characters"], what);

    [Fact]
    public void Visible_text_with_unicode_spaces_inside_is_a_valid_name() =>
        Read(Profile(name: "\u00A0ООО\u00A0«Ромашка»\u2003")).IsValid.ShouldBeTrue();

    [Fact]
    public void A_megabyte_long_string_ending_in_a_control_character_is_refused_quickly()
    {
        // The text pattern cannot backtrack: checking it takes linear time, not quadratic (minutes here).
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var errors = Read(Profile(name: new string('a', 1024 * 1024) + "\\u0000")).Errors;
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
        errors["data.name"].ShouldBe(["must be at most 256 characters", "must not be blank and must not contain control characters"], ignoreOrder: true);
    }

    [Theory]
    [InlineData(new byte[] { 0x41, 0xC3, 0x28 }, "data.name", "an invalid two-byte sequence")]
    [InlineData(new byte[] { 0xFF }, "data.name", "a byte that is never UTF-8")]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 }, "data.name", "an encoded surrogate")]
    public void Invalid_utf8_in_a_string_is_refused_naming_the_field(byte[] bytes, string field, string what)
    {
        var json = Profile(name: "NAME");
        var at = json.IndexOf("NAME", StringComparison.Ordinal);
        byte[] body = [.. System.Text.Encoding.UTF8.GetBytes(json[..at]), .. bytes, .. System.Text.Encoding.UTF8.GetBytes(json[(at + 4)..])];

        EventEnvelopeReader.Read(body, Now).Errors[field].ShouldBe(["is not valid text: invalid UTF-8 or a lone surrogate"], what);
    }

    [Fact]
    public void A_lone_surrogate_escape_in_a_value_is_refused_naming_the_field() =>
        Read(Profile(name: "Acme \\uD800 LLC")).Errors["data.name"].ShouldBe(["is not valid text: invalid UTF-8 or a lone surrogate"]);

    [Fact]
    public void A_lone_surrogate_escape_in_a_field_name_is_malformed_json() =>
        Read(Balance.Replace("\"data\":{", "\"data\":{\"\\uDC00\":1,", StringComparison.Ordinal)).Errors["$"].Single().ShouldStartWith("malformed JSON");

    [Fact]
    public void Invalid_utf8_in_a_field_name_is_refused_naming_the_object()
    {
        var json = Balance.Replace("\"data\":{", "\"data\":{\"FIELD\":1,", StringComparison.Ordinal);
        var at = json.IndexOf("FIELD", StringComparison.Ordinal);
        byte[] body = [.. System.Text.Encoding.UTF8.GetBytes(json[..at]), 0x78, 0xC0, 0xAF, .. System.Text.Encoding.UTF8.GetBytes(json[(at + 5)..])];

        EventEnvelopeReader.Read(body, Now).Errors["data"].ShouldBe(["has a field name that is not valid text: invalid UTF-8 or a lone surrogate"]);
    }

    [Theory]
    [InlineData("0000-01-01T00:00:00Z", "year 0")]
    [InlineData("2026-13-01T10:00:00Z", "month 13")]
    [InlineData("2026-00-10T10:00:00Z", "month 0")]
    [InlineData("2026-02-30T10:00:00Z", "February 30")]
    [InlineData("2026-11-26T24:00:00Z", "hour 24")]
    [InlineData("2025-12-31T23:59:60Z", "a leap second")]
    [InlineData("2026-11-26 10:00:00Z", "a space for the T")]
    [InlineData("2026-11-26_10:00:00Z", "an underscore for the T")]
    [InlineData("2026-11-26t10:00:00z", "lower-case t and z")]
    [InlineData("2026-11-26T10:00:00", "no offset")]
    [InlineData("2026-11-26T10:00:00+25:00", "an offset of 25 hours")]
    [InlineData("9999-12-31T23:59:59-01:00", "after the last moment the service can hold")]
    [InlineData("2026-11-26T10:00Z", "no seconds")]
    [InlineData("２０２６-11-26T10:00:00Z", "full-width digits")]
    public void An_occurred_at_the_service_cannot_read_is_refused_naming_the_field(string occurredAt, string what) =>
        OnlyError(Read(Balance.Replace("2026-11-26T10:00:00Z", occurredAt, StringComparison.Ordinal)), "occurredAt", what)
            .ShouldBe(["must be an ISO 8601 date-time with an offset, e.g. 2026-11-26T10:00:00Z"], what);

    [Theory]
    [InlineData("2026-11-26T10:00:00.123Z")]
    [InlineData("2026-11-26T10:00:00.123456789Z")]
    [InlineData("2026-11-26T13:00:00+03:00")]
    [InlineData("2026-11-26T05:00:00.5-05:00")]
    public void An_rfc_3339_occurred_at_with_any_fraction_and_offset_is_read(string occurredAt) =>
        Read(Balance.Replace("2026-11-26T10:00:00Z", occurredAt, StringComparison.Ordinal)).IsValid.ShouldBeTrue();

    [Theory]
    [InlineData("Boss<boss@acme.example>", "a display name")]
    [InlineData("<boss@acme.example>", "angle brackets")]
    [InlineData("a,b@acme.example", "a list")]
    [InlineData("boss@acme.example;x@y.example", "a list with a semicolon")]
    [InlineData("boss(comment)@acme.example", "a comment")]
    [InlineData("boss\u00A0x@acme.example", "a no-break space")]
    [InlineData("a@b.example>, <x@y.example", "a second address smuggled in")]
    public void An_email_that_is_not_a_bare_address_is_refused(string email, string what) =>
        OnlyError(Read(Profile(emails: ["billing@acme.example", email])), "data.emails[1]", what).ShouldBe(["is not an email address"], what);

    [Fact]
    public void An_email_with_a_line_break_is_refused_as_text_with_a_control_character() =>
        Read(Profile(emails: ["a@b.example\r\nBcc: x@y.example"])).Errors["data.emails[0]"]
            .ShouldBe(["must not be blank and must not contain control characters"]);

    [Fact]
    public void A_typed_event_with_a_lone_surrogate_is_refused_naming_the_field()
    {
        // Writing the wire format would quietly replace it (U+FFFD) and the event would pass.
        var profile = (ClientProfileChanged)Read(Profile()).Event!;
        var contract = new ContractChanged
        {
            EventId = "c-1",
            OccurredAt = Now,
            ClientId = "client\uDC00",
            ContractId = "k",
            New = new ContractState { PaymentType = "prepaid", Services = ["taxi", "cargo\uD800"] },
        };

        EventValidator.Validate(profile with { Name = "Acme \uD800 LLC" }, Now).Keys.ShouldBe(["data.name"]);
        EventValidator.Validate(contract, Now).Keys.ShouldBe(["clientId", "data.new.services[1]"], ignoreOrder: true);
        EventValidator.Validate(profile with { Name = "Acme \uD83D\uDE95 LLC" }, Now).ShouldBeEmpty("a surrogate pair is text");
    }

    [Fact]
    public void An_unknown_type_is_repeated_only_in_part()
    {
        var type = new string('T', 100_000);
        var message = Read(Balance.Replace("\"BalanceChanged\"", $"\"{type}\"", StringComparison.Ordinal)).Errors["type"].Single();
        message.ShouldStartWith($"unknown event type '{type[..64]}…'");
        message.Length.ShouldBeLessThan(120 + string.Join(", ", EventTypes.ByName.Keys).Length, "the type is cut, the known types are listed");
    }

    [Theory]
    [InlineData("{\"eventId\": \"a\"", "truncated")]
    [InlineData("[1,2]", "an array")]
    [InlineData("null", "null")]
    [InlineData("", "nothing")]
    public void Any_body_on_the_raw_endpoint_reaches_the_consumer_which_names_the_reasons(string body, string what)
    {
        // MassTransit's own raw JSON deserializer would throw first, and the fault would not say which field.
        var deserializer = new RawEventSerializerFactory().CreateDeserializer();

        var context = deserializer.Deserialize(new MassTransit.StringMessageBody(body), MassTransit.Serialization.EmptyHeaders.Instance);

        context.TryGetMessage<RawEvent>(out var message).ShouldBeTrue(what);
        message.ShouldNotBeNull(what);
        Read(body).Errors.Keys.ShouldBe(["$"], what);
    }

    [Fact]
    public void An_event_id_longer_than_128_characters_is_refused() =>
        Read(Balance.Replace("\"b-1\"", $"\"{new string('x', 129)}\"", StringComparison.Ordinal)).Errors["eventId"]
            .ShouldBe(["must be at most 128 characters"]);
}
