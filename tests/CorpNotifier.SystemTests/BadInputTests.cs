using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CorpNotifier.Contracts;
using Microsoft.EntityFrameworkCore;
using RabbitMQ.Client;
using Xunit.Abstractions;

namespace CorpNotifier.SystemTests;

/// <summary>
/// Bad events get a clear refusal naming every bad field, and change nothing — over HTTP and on
/// the bus, for every case of <see cref="BadInputCorpus"/>; producers' text is data, never code.
/// </summary>
public sealed partial class BadInputTests(ITestOutputHelper output) : SystemTest
{
    private readonly Figures _output = new(output, nameof(BadInputTests));

    private const string Queue = "corp-notifier-events";
    private const string ErrorQueue = "corp-notifier-events_error";

    [Fact]
    public async Task Every_bad_event_over_http_is_refused_with_every_reason_and_changes_nothing()
    {
        var service = await StartServiceAsync();
        var corpus = BadInputCorpus.All;
        var outcomes = new List<(BadInputCase Case, HttpStatusCode Status, IReadOnlyCollection<string> Named)>();
        var failures = new List<string>();

        foreach (var bad in corpus)
        {
            using var content = new ByteArrayContent(bad.Body);
            if (bad.ContentType is not null)
            {
                content.Headers.ContentType = new MediaTypeHeaderValue(bad.ContentType);
            }

            using var response = await service.Client.PostAsync("/api/v1/events", content);
            var body = await response.Content.ReadAsStringAsync();
            var named = Named(body);
            outcomes.Add((bad, response.StatusCode, named));
            failures.AddRange(Check(bad, response, body, named).Select(f => $"{bad.Name}: {f}"));
        }

        PrintTable(
            "HTTP",
            outcomes.Count(o => !((int)o.Status is >= 200 and < 300)),
            outcomes.Select(o => (o.Case, ((int)o.Status).ToString(CultureInfo.InvariantCulture), o.Named)));
        failures.ShouldBeEmpty();

        await AssertNothingWrittenAsync();
        using (var ready = await service.Client.GetAsync("/health/ready"))
        {
            ready.StatusCode.ShouldBe(HttpStatusCode.OK, await ready.Content.ReadAsStringAsync());
        }

        var good = Events.Profile("client-42", ["billing@acme.example"]);
        await PostAsync(service, good);
        await WaitUntilOnlyProcessedAsync(good);
    }

    [Fact]
    public async Task Every_bad_raw_event_on_the_bus_faults_to_the_error_queue_with_its_reasons_and_changes_nothing()
    {
        var service = await StartServiceAsync();
        var corpus = BadInputCorpus.OnTheBus;
        var byMessageId = corpus.Select((c, i) => (Id: $"bad-{i + 1:D2}", Case: c)).ToDictionary(x => x.Id, x => x.Case);

        await using (var connection = await ConnectAsync())
        await using (var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true)))
        {
            foreach (var (id, bad) in byMessageId)
            {
                await PublishRawAsync(channel, bad.Body, id);
            }
        }

        await Eventually.MatchAsync(
            () => Env.QueueDepthAsync(ErrorQueue),
            depth => depth == corpus.Count,
            $"all {corpus.Count} bad events in {ErrorQueue}",
            TimeSpan.FromSeconds(90),
            BusDiagnostics);

        var faults = await TakeAllAsync(ErrorQueue);
        var outcomes = new List<(BadInputCase Case, string Exception, IReadOnlyCollection<string> Named)>();
        var failures = new List<string>();
        faults.Keys.ShouldBe(byMessageId.Keys, ignoreOrder: true);
        foreach (var (id, bad) in byMessageId)
        {
            var (exceptionType, message) = faults[id];
            var named = FaultFields(message);
            outcomes.Add((bad, exceptionType.Split('.')[^1], named));
            if (exceptionType != typeof(InvalidEventException).FullName)
            {
                failures.Add($"{bad.Name}: faulted with {exceptionType}: {message}");
                continue;
            }

            failures.AddRange(Missing(bad, named).Select(f => $"{bad.Name}: {f} in '{message}'"));
        }

        PrintTable("the bus", faults.Count, outcomes.Select(o => (o.Case, o.Exception, o.Named)));
        failures.ShouldBeEmpty();

        await AssertNothingWrittenAsync();
        using (var ready = await service.Client.GetAsync("/health/ready"))
        {
            ready.StatusCode.ShouldBe(HttpStatusCode.OK, await ready.Content.ReadAsStringAsync());
        }

        var good = Events.Profile("client-42", ["billing@acme.example"]);
        await using (var connection = await ConnectAsync())
        await using (var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true)))
        {
            await PublishRawAsync(channel, Encoding.UTF8.GetBytes(JsonSerializer.Serialize(Wire(good))), good.EventId);
        }

        await WaitUntilOnlyProcessedAsync(good);
        await using (var connection = await ConnectAsync())
        await using (var channel = await connection.CreateChannelAsync())
        {
            // As the broker counts now (the management API lags by seconds): the good event did not fault.
            (await channel.QueueDeclarePassiveAsync(ErrorQueue)).MessageCount.ShouldBe(0u);
        }
    }

    [Fact]
    public async Task Producer_text_is_never_executed_as_a_template_and_reaches_the_letter_literally()
    {
        const string name = "{{ 'x' | upcase }} {% for i in (1..3) %}x{% endfor %} '; DROP TABLE notices; -- <script>alert(1)</script> & \"Acme\"";
        var service = await StartServiceAsync(mailer: "Smtp");
        var profile = Events.Profile("client-42", ["billing@acme.example"]) with { Name = name };

        await PostAsync(service, profile);
        await Eventually.MatchAsync(
            async () =>
            {
                await using var db = Env.Db();
                return await db.Clients.AsNoTracking().SingleOrDefaultAsync(c => c.ClientId == "client-42");
            },
            client => client?.Name is not null,
            "the profile to be processed",
            diagnostics: Logs);
        await PostAsync(service, Events.Contract(
            "client-42",
            new ContractState { PaymentType = PaymentTypes.Postpaid, IsActive = false, OfferAccepted = true, Services = ["taxi"] },
            new ContractState { PaymentType = PaymentTypes.Postpaid, IsActive = true, OfferAccepted = true, Services = ["taxi"] }));

        var notices = await WaitForNoticesAsync(n => n.Any(x => x.Kind == "ActivateClientNotice" && x.Status == NoticeStatus.Sent), "the activation letter to be sent");
        var letter = await Eventually.MatchAsync(
            () => Task.FromResult(Smtp.Messages.FirstOrDefault(m => m.Headers["X-Notice-Slug"] == "activate-client")),
            m => m is not null,
            "the activation letter at the SMTP server",
            diagnostics: Logs);
        _output.WriteLine($"text part:\n{letter!.TextBody}\nHTML part:\n{letter.HtmlBody}");

        var (text, html) = (letter.TextBody.ShouldNotBeNull(), letter.HtmlBody.ShouldNotBeNull());
        text.ShouldContain($"Здравствуйте, {name}!", Case.Sensitive);
        html.ShouldContain(
            "{{ &#x27;x&#x27; | upcase }} {% for i in (1..3) %}x{% endfor %} &#x27;; DROP TABLE notices; -- &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Acme&quot;",
            Case.Sensitive);
        html.ShouldNotContain("<script>");
        WebUtility.HtmlDecode(html).ShouldContain($"Здравствуйте, {name}!", Case.Sensitive);

        await using var after = Env.Db();
        (await after.Notices.CountAsync()).ShouldBe(notices.Count, "the notices table is still there");
        (await after.Clients.AsNoTracking().SingleAsync(c => c.ClientId == "client-42")).Name.ShouldBe(name);
    }

    [Fact]
    public async Task A_raw_json_event_from_a_non_dotnet_producer_is_processed()
    {
        var service = await StartServiceAsync();
        await SeedClientAsync(service);
        var evt = Events.Balance("client-42", 150, 50);

        await using (var connection = await ConnectAsync())
        await using (var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true)))
        {
            await PublishRawAsync(channel, Encoding.UTF8.GetBytes(JsonSerializer.Serialize(Wire(evt))), evt.EventId);
        }

        var notice = (await WaitForNoticesAsync(n => n.Count == 1 && n[0].Status == NoticeStatus.Sent, "the letter of the raw event"))[0];
        notice.EventId.ShouldBe(evt.EventId);
        Upstreams.SenderCalls.ShouldHaveSingleItem().Slug.ShouldBe("low-balance");
    }

    /// <summary>What is wrong with the answer to one case (nothing, when it was refused as it should be).</summary>
    private static IEnumerable<string> Check(BadInputCase bad, HttpResponseMessage response, string body, IReadOnlyCollection<string> named)
    {
        if (response.StatusCode != bad.Status)
        {
            yield return $"status {(int)response.StatusCode}, expected {(int)bad.Status}: {body}";
            yield break;
        }

        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            yield return $"content type {response.Content.Headers.ContentType}, expected application/problem+json";
        }

        if (bad.Status != HttpStatusCode.BadRequest)
        {
            yield break;
        }

        using var details = JsonDocument.Parse(body);
        if (!details.RootElement.TryGetProperty("status", out var status) || status.GetInt32() != 400)
        {
            yield return $"problem status is not 400: {body}";
        }

        foreach (var missing in Missing(bad, named))
        {
            yield return $"{missing}: {body}";
        }
    }

    /// <summary>Every expected field the refusal does not name; for an exact case, also every field it names beyond them.</summary>
    private static IEnumerable<string> Missing(BadInputCase bad, IReadOnlyCollection<string> named)
    {
        foreach (var field in bad.Fields.Where(f => !named.Contains(f)))
        {
            yield return $"'{field}' not named";
        }

        if (bad.ExactFields)
        {
            foreach (var extra in named.Where(f => !bad.Fields.Contains(f)))
            {
                yield return $"'{extra}' named but not expected";
            }
        }
    }

    /// <summary>The fields a problem details answer names (the keys of <c>errors</c>).</summary>
    private static IReadOnlyCollection<string> Named(string body)
    {
        try
        {
            using var details = JsonDocument.Parse(body);
            return details.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object
                ? errors.EnumerateObject().Select(e => e.Name).ToList()
                : [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    /// <summary>The fields an <see cref="InvalidEventException"/> message names: <c>The event is invalid: eventId: …; data.x: …</c>.</summary>
    private static IReadOnlyCollection<string> FaultFields(string message) =>
        FaultField().Matches(message).Select(m => m.Groups["field"].Value).Distinct().ToList();

    [GeneratedRegex(@"(?:^The event is invalid: |; )(?<field>[$A-Za-z][\w.\[\]$]*): ")]
    private static partial Regex FaultField();

    private void PrintTable(string way, int refused, IEnumerable<(BadInputCase Case, string Outcome, IReadOnlyCollection<string> Named)> rows)
    {
        var list = rows.ToList();
        _output.WriteLine($"Bad input over {way}: {list.Count} cases, {refused} refused, {list.Sum(r => r.Case.Fields.Count)} fields expected, {list.Sum(r => r.Named.Count)} named");
        _output.WriteLine($"{"#",3}  {"case",-58} {"outcome",-22} fields named");
        foreach (var (row, index) in list.Select((r, i) => (r, i + 1)))
        {
            var named = string.Join(", ", row.Named);
            _output.WriteLine($"{index,3}  {row.Case.Name,-58} {row.Outcome,-22} {(named.Length > 120 ? named[..120] + "…" : named)}");
        }

        foreach (var group in list.GroupBy(r => r.Outcome).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            _output.WriteLine($"  {group.Key}: {group.Count()}");
        }
    }

    /// <summary>Where bad events went instead of the error queue, and the service's log.</summary>
    private string BusDiagnostics() =>
        $"{Queue}_skipped: {Env.QueueDepthAsync($"{Queue}_skipped").GetAwaiter().GetResult()}, {Queue}: {Env.QueueDepthAsync(Queue).GetAwaiter().GetResult()}\n{Logs()}";

    /// <summary>No event, letter, client or contract was stored.</summary>
    private async Task AssertNothingWrittenAsync()
    {
        await using var db = Env.Db();
        (await db.Events.CountAsync()).ShouldBe(0, "events");
        (await db.Notices.CountAsync()).ShouldBe(0, "notices");
        (await db.Clients.CountAsync()).ShouldBe(0, "clients");
        (await db.Contracts.CountAsync()).ShouldBe(0, "contracts");
    }

    /// <summary>Waits until the good event is processed, and checks it is the only one that ever was.</summary>
    private async Task WaitUntilOnlyProcessedAsync(IEvent good)
    {
        var processed = await Eventually.MatchAsync(
            async () =>
            {
                await using var db = Env.Db();
                return await db.Events.AsNoTracking().Select(e => e.EventId).ToListAsync();
            },
            ids => ids.Contains(good.EventId),
            $"the good event {good.EventId} to be processed",
            diagnostics: Logs);
        processed.ShouldBe([good.EventId]);
        await using var db = Env.Db();
        (await db.Clients.AsNoTracking().Select(c => c.ClientId).ToListAsync()).ShouldBe([good.ClientId!]);
    }

    /// <summary>What a Python producer does with pika: raw bytes to the queue through the default exchange, with a message id.</summary>
    private static async Task PublishRawAsync(IChannel channel, byte[] body, string messageId)
    {
        var properties = new BasicProperties { ContentType = "application/json", MessageId = messageId, DeliveryMode = DeliveryModes.Persistent };
        await channel.BasicPublishAsync("", Queue, mandatory: true, properties, body);
    }

    /// <summary>Takes every message off a queue: its fault exception type and message, by message id.</summary>
    private async Task<Dictionary<string, (string ExceptionType, string Message)>> TakeAllAsync(string queue)
    {
        var faults = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        await using var connection = await ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        while (await channel.BasicGetAsync(queue, autoAck: true) is { } message)
        {
            var headers = message.BasicProperties.Headers ?? new Dictionary<string, object?>();
            faults[message.BasicProperties.MessageId ?? $"(no id #{faults.Count})"] = (Header(headers, "MT-Fault-ExceptionType"), Header(headers, "MT-Fault-Message"));
        }

        return faults;
    }

    private static string Header(IDictionary<string, object?> headers, string name) =>
        headers.TryGetValue(name, out var value) ? value switch
        {
            byte[] bytes => Encoding.UTF8.GetString(bytes),
            null => "",
            _ => value.ToString() ?? "",
        } : "";

    private Task<IConnection> ConnectAsync() => new ConnectionFactory
    {
        HostName = SystemEnvironment.RabbitHost,
        Port = SystemEnvironment.RabbitPort,
        VirtualHost = Env.VirtualHost,
        UserName = SystemEnvironment.RabbitUser,
        Password = SystemEnvironment.RabbitPassword,
    }.CreateConnectionAsync();
}
