using System.Diagnostics;
using System.Text.Json;
using CorpNotifier.Contracts;
using CorpNotifier.Messaging;
using CorpNotifier.Rules;
using CorpNotifier.Rules.Managers;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Xunit.Abstractions;

namespace CorpNotifier.SystemTests;

/// <summary>
/// A sales manager's request from acceptance to the client's activation letter, on real RabbitMQ
/// and PostgreSQL: the temporary password arrives as a Fernet token made by Python's
/// <c>cryptography</c>, is opened for the mailer only, masked once the letter is out, and
/// <see cref="ActivationEmailSent"/> reaches the broker once, under a stable message id.
/// </summary>
public sealed class ManagerActivationTests(ITestOutputHelper output) : SystemTest
{
    private const string ClientId = "client-42";
    private const string RequestId = "manager-request-1";
    private const string ClientLogin = "acme-corp";
    private const string Password = "Tmp-Pass-42";
    private const string TaxiKind = nameof(TaxiContractActivatedFromManagerNotice);
    private const string TaxiSlug = "taxi-contract-activated-from-manager";

    /// <summary>The exchange MassTransit publishes <see cref="ActivationEmailSent"/> to.</summary>
    private const string ActivationEmailSentExchange = "CorpNotifier.Contracts:ActivationEmailSent";

    /// <summary>The test's own queue on that exchange: it sees every message published there.</summary>
    private const string Watch = "test-activation-email-sent";

    private readonly Figures _output = new(output, nameof(ManagerActivationTests));

    [Fact]
    public async Task A_manager_request_accepted_then_the_contract_activated_sends_the_activation_letter_once_with_the_password_opened_for_the_mailer_only()
    {
        var key = PythonFernet.NewKey();
        var token = PythonFernet.Encrypt(key, Password);
        token.ShouldNotContain(Password);
        await Env.BindQueueAsync(Watch, ActivationEmailSentExchange);
        var service = await StartServiceAsync(Keys(key));

        await PostAndWaitAsync(service, Events.Profile(ClientId));
        await PostAndWaitAsync(service, Accepted(ClientId, token));
        var clock = Stopwatch.StartNew();
        await PostAndWaitAsync(service, Events.Contract(ClientId, null, TestEvents.KnownState()));

        // The letter, with the password opened for the mailer.
        var notices = await WaitForNoticesAsync(n => n.Any(x => x.Kind == TaxiKind && x.Status == NoticeStatus.Sent), "the activation letter to be sent");
        var sentAfter = clock.Elapsed;
        var call = Upstreams.SenderCalls.Where(c => c.Slug == TaxiSlug).ShouldHaveSingleItem();
        call.ToEmail.ShouldBe(TestEvents.EmailOf(ClientId));
        call.Args.GetProperty("Login").GetString().ShouldBe(ClientLogin);
        call.Args.GetProperty("Pass").GetString().ShouldBe(Password);
        call.Args.GetProperty("ContractType").GetString().ShouldBe(PaymentTypes.Postpaid);
        call.Args.GetProperty("contract_type").GetString().ShouldBe(Services.Taxi);
        call.Args.EnumerateObject().Select(p => p.Name).ShouldBe(["Login", "Pass", "ContractType", "contract_type"], ignoreOrder: true);

        // The stored letter keeps no secret once sent.
        var letter = notices.Single(n => n.Kind == TaxiKind);
        letter.ClientId.ShouldBe(ClientId);
        letter.Args["request_id"]!.GetValue<string>().ShouldBe(RequestId);
        letter.Args["login"]!.GetValue<string>().ShouldBe(ClientLogin);
        letter.Args[ContractActivatedFromManagerRule.EncryptedPassword]!.GetValue<string>().ShouldBe(Hosting.Secret.Masked);

        // ActivationEmailSent on the broker, once, under the request's stable message id.
        var (properties, payload) = await WaitForMessageAsync("ActivationEmailSent on the broker");
        var publishedAfter = clock.Elapsed;
        var expectedId = ContractActivatedFromManagerRule.MessageIdOf(RequestId);
        using (var envelope = JsonDocument.Parse(payload))
        {
            Guid.Parse(envelope.RootElement.GetProperty("messageId").GetString()!).ShouldBe(expectedId);
            var body = envelope.RootElement.GetProperty("message");
            body.GetProperty("requestId").GetString().ShouldBe(RequestId);
            body.GetProperty("clientId").GetString().ShouldBe(ClientId);
            body.GetProperty("noticeId").GetInt64().ShouldBe(letter.Id);
        }

        Guid.Parse(properties.GetProperty("message_id").GetString()!).ShouldBe(expectedId);
        payload.ShouldNotContain(Password);
        payload.ShouldNotContain(token);

        // The letter's timeline shows the publish; the outbox row carries the same id.
        notices = await WaitForNoticesAsync(
            n => n.Single(x => x.Kind == TaxiKind).Timeline.Any(t => t.Type == TimelineEntryType.MessagePublished),
            "the message_published step on the letter's timeline");
        notices.Single(n => n.Kind == TaxiKind).Timeline.Single(t => t.Type == TimelineEntryType.MessagePublished).Detail.ShouldNotBeNull().ShouldContain(expectedId.ToString());
        await using (var db = Env.Db())
        {
            var outbox = await db.OutboxMessages.AsNoTracking().ToListAsync();
            outbox.ShouldHaveSingleItem().MessageId.ShouldBe(expectedId);
            outbox[0].PublishedAt.ShouldNotBeNull();
            outbox[0].NoticeId.ShouldBe(letter.Id);
            (await db.ManagerRequests.AsNoTracking().SingleAsync(r => r.RequestId == RequestId)).ActivationNoticeId.ShouldBe(letter.Id);
        }

        // A second activation of the contract (a new event) sends and publishes nothing more.
        var inactive = TestEvents.KnownState() with { IsActive = false };
        await PostAndWaitAsync(service, Events.Contract(ClientId, TestEvents.KnownState(), inactive));
        var again = Events.Contract(ClientId, inactive, TestEvents.KnownState());
        await PostAndWaitAsync(service, again);
        await SweptPastAsync(service, DateTimeOffset.UtcNow, ClientId);

        notices = await Env.NoticesAsync();
        notices.Count(n => n.Kind is TaxiKind or nameof(CargoContractActivatedFromManagerNotice)).ShouldBe(1);
        Upstreams.SenderCalls.Count(c => c.Slug == TaxiSlug).ShouldBe(1);
        await using (var db = Env.Db())
        {
            (await db.Events.AsNoTracking().SingleAsync(e => e.EventId == again.EventId)).Outcome.ShouldNotBeNull();
            (await db.OutboxMessages.CountAsync()).ShouldBe(1);
        }

        (await Env.GetMessageAsync(Watch)).ShouldBeNull("ActivationEmailSent is published once");

        // The plain password is nowhere in the database (every column of every table), nor in the log.
        await using (var db = Env.Db())
        {
            (await db.Events.AsNoTracking().Select(e => e.Payload).ToListAsync()).ShouldAllBe(p => !p.Contains(Password));
            (await db.Notices.AsNoTracking().ToListAsync()).ShouldAllBe(n => !n.Args.ToJsonString().Contains(Password));
        }

        var (tables, holding) = await TablesContainingAsync(Password);
        holding.ShouldBeEmpty();
        var log = service.Output.ToList();
        log.ShouldNotContain(line => line.Contains(Password));
        log.ShouldNotContain(line => line.Contains(token));

        _output.WriteLine($"activation letter sent {sentAfter.TotalMilliseconds:F0} ms after the contract event was posted; ActivationEmailSent taken off the broker {publishedAfter.TotalMilliseconds:F0} ms after it");
        _output.WriteLine($"plain password searched in {tables} tables and {log.Count} log lines: found nowhere");
    }

    [Fact]
    public async Task A_token_that_does_not_open_rejects_the_letter_as_undecryptable_and_nothing_is_published()
    {
        var configured = PythonFernet.NewKey();
        var token = PythonFernet.Encrypt(PythonFernet.NewKey(), Password);
        await Env.BindQueueAsync(Watch, ActivationEmailSentExchange);
        var service = await StartServiceAsync(Keys(configured));

        await PostAndWaitAsync(service, Events.Profile(ClientId));
        await PostAndWaitAsync(service, Accepted(ClientId, token));
        await PostAndWaitAsync(service, Events.Contract(ClientId, null, TestEvents.KnownState()));

        // Rejected is an outcome: the letter is never tried again, and no outbox row is written with it.
        var notices = await WaitForNoticesAsync(n => n.Any(x => x.Kind == TaxiKind && x.Status == NoticeStatus.Rejected), "the activation letter to be rejected");
        var letter = notices.Single(n => n.Kind == TaxiKind);
        letter.ReasonCode.ShouldBe(ReasonCodes.UndecryptableSecret);
        letter.Args[ContractActivatedFromManagerRule.EncryptedPassword]!.GetValue<string>().ShouldBe(Hosting.Secret.Masked);
        letter.Reason.ShouldNotBeNull().ShouldNotContain(token);

        // The contract's own activation letter (activate-client) goes out as always; only the
        // manager's letter with the password does not.
        Upstreams.SenderCalls.ShouldNotContain(c => c.Slug == TaxiSlug);
        await using (var db = Env.Db())
        {
            (await db.OutboxMessages.CountAsync()).ShouldBe(0);
            (await db.ManagerRequests.AsNoTracking().SingleAsync(r => r.RequestId == RequestId)).ActivationNoticeId.ShouldBeNull();
        }

        // The publisher ran past the rejection (a later letter went out) and published nothing.
        await SweptPastAsync(service, DateTimeOffset.UtcNow, ClientId);
        (await Env.GetMessageAsync(Watch)).ShouldBeNull("no ActivationEmailSent for a letter that did not go out");
        Upstreams.SenderCalls.ShouldNotContain(c => c.Slug == TaxiSlug);
        service.Output.ShouldNotContain(line => line.Contains(token));
        _output.WriteLine($"rejected: {letter.ReasonCode} ({letter.Reason})");
    }

    [Fact]
    public async Task A_cargo_request_whose_token_was_made_with_the_previous_key_opens_during_a_key_rotation()
    {
        var previous = PythonFernet.NewKey();
        var token = PythonFernet.Encrypt(previous, Password);
        await Env.BindQueueAsync(Watch, ActivationEmailSentExchange);
        var service = await StartServiceAsync(Keys(PythonFernet.NewKey(), previous));

        await PostAndWaitAsync(service, Events.Profile(ClientId));
        await PostAndWaitAsync(service, Accepted(ClientId, token, Services.Cargo));
        await PostAndWaitAsync(service, Events.Contract(ClientId, null, TestEvents.KnownState() with { Services = [Services.Cargo] }));

        var notices = await WaitForNoticesAsync(
            n => n.Any(x => x.Kind == nameof(CargoContractActivatedFromManagerNotice) && x.Status == NoticeStatus.Sent),
            "the cargo activation letter to be sent");
        notices.ShouldNotContain(n => n.Kind == TaxiKind);
        var call = Upstreams.SenderCalls.Where(c => c.Slug == "cargo-contract-activated-from-manager").ShouldHaveSingleItem();
        call.Args.GetProperty("Pass").GetString().ShouldBe(Password);
        call.Args.GetProperty("contract_type").GetString().ShouldBe(Services.Cargo);

        var (_, payload) = await WaitForMessageAsync("ActivationEmailSent for the cargo request");
        using var envelope = JsonDocument.Parse(payload);
        envelope.RootElement.GetProperty("message").GetProperty("noticeId").GetInt64().ShouldBe(notices.Single(n => n.Kind == nameof(CargoContractActivatedFromManagerNotice)).Id);
    }

    [Fact]
    public async Task A_manager_request_accepted_without_a_client_goes_to_the_manager_at_the_staff_domain_and_stores_no_request()
    {
        var key = PythonFernet.NewKey();
        var token = PythonFernet.Encrypt(key, Password);
        var service = await StartServiceAsync(new Dictionary<string, string>(Keys(key)) { ["Notices:StaffEmailDomain"] = "staff.example" });

        var accepted = Events.ManagerRequest(null, ManagerRequestStatuses.Pending, ManagerRequestStatuses.Accepted, RequestId, temporaryPassword: token);
        await PostAndWaitAsync(service, accepted);

        var notices = await WaitForNoticesAsync(n => n.Any(x => x.Kind == nameof(TaxiManagerRequestAcceptedNotice) && x.Status == NoticeStatus.Sent), "the manager's letter to be sent");
        var letter = notices.ShouldHaveSingleItem();
        letter.ClientId.ShouldBeNull();
        letter.EventId.ShouldBe(accepted.EventId);
        letter.SentTo.ShouldBe(["m.smirnov@staff.example"]);

        var call = Upstreams.SenderCalls.ShouldHaveSingleItem();
        call.Slug.ShouldBe("taxi-manager-request-accepted");
        call.ToEmail.ShouldBe("m.smirnov@staff.example");
        call.Args.GetProperty("manager_name").GetString().ShouldBe("Мария Смирнова @m.smirnov");
        call.Args.GetProperty("status").GetString().ShouldBe("Принята");
        call.Args.GetProperty("service").GetString().ShouldBe("Такси");
        call.Args.GetProperty("contract_type").GetString().ShouldBe("Постоплата");
        call.Args.GetProperty("signer_duly_authorized").GetString().ShouldBe("Устав");
        call.Args.GetProperty("client_login").GetString().ShouldBe(ClientLogin);
        call.Args.GetProperty("st_link").GetString().ShouldBe("");
        call.Args.GetProperty("additional_information").GetString().ShouldBe("");
        call.Args.GetRawText().ShouldNotContain(token);
        call.Args.GetRawText().ShouldNotContain(Password);

        // Without a client there is nothing to activate later: the request is not remembered, and
        // the stored event keeps its token masked.
        await using var db = Env.Db();
        (await db.ManagerRequests.CountAsync()).ShouldBe(0);
        var stored = await db.Events.AsNoTracking().SingleAsync(e => e.EventId == accepted.EventId);
        stored.ClientId.ShouldBeNull();
        stored.Payload.ShouldNotContain(token);
    }

    private static ManagerRequestStatusChanged Accepted(string clientId, string token, string service = Services.Taxi) =>
        Events.ManagerRequest(clientId, ManagerRequestStatuses.Pending, ManagerRequestStatuses.Accepted, RequestId, service, requestClientId: clientId, temporaryPassword: token);

    private static Dictionary<string, string> Keys(params string[] keys) =>
        keys.Select((k, i) => (k, i)).ToDictionary(x => $"Secrets:FernetKeys:{x.i}", x => x.k);

    private async Task PostAndWaitAsync(ServiceProcess service, IEvent evt)
    {
        await PostAsync(service, evt);
        await Eventually.MatchAsync(
            async () =>
            {
                await using var db = Env.Db();
                return await db.Events.AnyAsync(e => e.EventId == evt.EventId);
            },
            seen => seen,
            $"event {evt.EventId} to be processed",
            diagnostics: Logs);
    }

    private async Task<(JsonElement Properties, string Payload)> WaitForMessageAsync(string what)
    {
        var message = await Eventually.MatchAsync(() => Env.GetMessageAsync(Watch), m => m is not null, what, diagnostics: Logs);
        return message!.Value;
    }

    /// <summary>How many tables the database has, and those in which some row, read as text, contains <paramref name="text"/>.</summary>
    private async Task<(int Tables, List<string> Holding)> TablesContainingAsync(string text)
    {
        await using var connection = new NpgsqlConnection(Env.PostgresConnectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT table_schema, table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add($"\"{reader.GetString(0)}\".\"{reader.GetString(1)}\"");
            }
        }

        var holding = new List<string>();
        foreach (var table in tables)
        {
            await using var probe = new NpgsqlCommand($"SELECT count(*) FROM {table} t WHERE strpos(t::text, @text) > 0", connection);
            probe.Parameters.AddWithValue("text", text);
            if ((long)(await probe.ExecuteScalarAsync())! > 0)
            {
                holding.Add(table);
            }
        }

        return (tables.Count, holding);
    }
}
