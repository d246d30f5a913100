using System.Net;
using System.Text;
using System.Text.Json;
using CorpNotifier.Contracts;
using CorpNotifier.Hosting;
using CorpNotifier.Persistence;
using CorpNotifier.Secrets;
using MassTransit;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CorpNotifier.Tests.Integration;

/// <summary>
/// An eventId names one event: the same body again is a quiet repeat, another body under the same
/// id is refused and told — a 409 over HTTP naming every differing field with both values, a fault
/// with that reason on the bus, a warning and a counter — and the stored event stays as it was.
/// </summary>
public sealed class EventConflictTests : IAsyncLifetime
{
    private const string Key = "Ml0e-AE3jVo65rbNwgEtpYHcQx7HEp-kpVOS2SaaBsc=";
    private readonly TestHost _host = new();

    public async Task InitializeAsync()
    {
        _ = _host.Meter; // counts from here on
        await _host.PostAndWaitAsync(_host.Events.Profile("client-42", ["billing@acme.example"]));
        await _host.PostAndWaitAsync(_host.Events.ContractResync("client-42"));
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_changed_body_under_a_known_event_id_gets_409_naming_each_differing_field_with_both_values()
    {
        var balance = _host.Events.Balance("client-42", 150, 50, eventId: "billing-981");
        await _host.PostAndWaitAsync(balance);

        using var response = await _host.PostEventAsync(balance with { NewBalance = 60.5m, Currency = "USD" });

        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.Conflict, body);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        using var problem = JsonDocument.Parse(body);
        problem.RootElement.GetProperty("eventId").GetString().ShouldBe("billing-981");
        var differences = problem.RootElement.GetProperty("differences").EnumerateArray()
            .Select(d => $"{d.GetProperty("path").GetString()}: {d.GetProperty("stored").GetRawText()} → {d.GetProperty("received").GetRawText()}")
            .ToList();
        differences.ShouldBe(["data.newBalance: 50 → 60.5", "data.currency: \"RUB\" → \"USD\""], ignoreOrder: true);
        problem.RootElement.GetProperty("detail").GetString()!.ShouldContain("data.newBalance");

        _host.Logs.Entries.ShouldContain(e => e.Level == LogLevel.Warning && e.Message.Contains("billing-981", StringComparison.Ordinal) && e.Message.Contains("data.newBalance, data.currency", StringComparison.Ordinal));
        _host.Meter.Count("corp_notifier.events.conflicts", ("type", "BalanceChanged")).ShouldBe(1);
        var stored = await _host.WithDbAsync(db => db.Events.AsNoTracking().SingleAsync(e => e.EventId == "billing-981"));
        stored.Payload.ShouldContain("\"newBalance\":50");
        (await _host.NoticesAsync("client-42")).ShouldHaveSingleItem().Kind.ShouldBe("LowBalanceNotice");
    }

    [Fact]
    public async Task The_same_body_again_is_a_quiet_202_that_changes_nothing()
    {
        var balance = _host.Events.Balance("client-42", 150, 50, eventId: "billing-982");
        await _host.PostAndWaitAsync(balance);

        using var response = await _host.PostEventAsync(balance);

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        _host.Logs.Entries.ShouldContain(e => e.Message.Contains("billing-982", StringComparison.Ordinal) && e.Message.Contains("was seen before with the same body", StringComparison.Ordinal));
        _host.Logs.Entries.ShouldNotContain(e => e.Level >= LogLevel.Warning && e.Message.Contains("billing-982", StringComparison.Ordinal));
        _host.Meter.Count("corp_notifier.events.conflicts").ShouldBe(0);
        (await _host.NoticesAsync("client-42")).Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_password_encrypted_again_is_the_same_event_because_secrets_are_not_compared()
    {
        var key = FernetKey.Parse(Key);
        var trial = _host.Events.Trial("client-42", TrialFlows.RegisterTrial, encryptedPassword: Encrypt(key, "s3cret"), eventId: "trial-1");
        await _host.PostAndWaitAsync(trial);
        var again = trial with { EncryptedPassword = Encrypt(key, "s3cret") };
        again.EncryptedPassword.ShouldNotBe(trial.EncryptedPassword);

        using var response = await _host.PostEventAsync(again);

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task On_the_bus_a_changed_body_faults_with_the_reason_at_once_and_the_address_is_masked()
    {
        var profile = _host.Events.Profile("client-43", ["billing@beta.example"], eventId: "profile-43");
        await _host.PostAndWaitAsync(profile);

        await _host.Harness.Bus.Publish(profile with { Emails = ["finance@beta.example"] });

        (await _host.Harness.Consumed.Any<ClientProfileChanged>(m => m.Context.Message.EventId == "profile-43" && m.Exception is not null)).ShouldBeTrue();
        var fault = _host.Harness.Consumed.Select<ClientProfileChanged>(m => m.Context.Message.EventId == "profile-43" && m.Exception is not null, TestHost.SeenSoFar).Single().Exception;
        fault.ShouldBeOfType<EventConflictException>();
        fault.Message.ShouldContain("data.emails[0]: \"b***@beta.example\" before, \"f***@beta.example\" now");
        (await _host.Harness.Published.Any<Fault<ClientProfileChanged>>(m => m.Context.Message.Message.EventId == "profile-43")).ShouldBeTrue();

        // Refused once, not retried: one warning, one count; and no address in the log.
        _host.Logs.Entries.Count(e => e.Level == LogLevel.Warning && e.Message.Contains("profile-43", StringComparison.Ordinal) && e.Message.Contains("(bus)", StringComparison.Ordinal)).ShouldBe(1);
        _host.Meter.Count("corp_notifier.events.conflicts", ("type", "ClientProfileChanged")).ShouldBe(1);
        _host.Logs.Entries.ShouldNotContain(e => e.Message.Contains("finance@beta.example", StringComparison.Ordinal));
        (await _host.WithDbAsync(db => db.Clients.AsNoTracking().SingleAsync(c => c.ClientId == "client-43"))).Emails.ShouldBe(["billing@beta.example"]);
    }

    [Fact]
    public async Task When_the_database_cannot_answer_the_event_is_published_and_its_consumer_refuses_it()
    {
        var balance = _host.Events.Balance("client-42", 150, 50, eventId: "billing-983");
        await _host.PostAndWaitAsync(balance);
        var changed = balance with { NewBalance = 40 };

        // The early answer, as an instance whose database is unavailable gives it: no read, a publish.
        await using var scope = _host.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var request = new DefaultHttpContext { RequestServices = services }.Request;
        request.ContentType = "application/json";
        request.Body = new MemoryStream(Encoding.UTF8.GetBytes(EventEnvelopeReader.Write(changed).ToJsonString()));
        var answer = await IntakeApi.PostEvent(
            request,
            services.GetRequiredService<IPublishEndpoint>(),
            services.GetRequiredService<IBusControl>(),
            services.GetRequiredService<IOptions<IntakeOptions>>(),
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILoggerFactory>(),
            services.GetRequiredService<NoticesDbContext>(),
            new DatabaseAvailability(), // closed: "starting"
            services.GetRequiredService<NotifierMetrics>(),
            CancellationToken.None);

        answer.Result.ShouldBeOfType<Accepted<EventAccepted>>();
        (await _host.Harness.Consumed.Any<BalanceChanged>(m => m.Context.Message.EventId == "billing-983" && m.Exception is EventConflictException)).ShouldBeTrue();
    }

    private static string Encrypt(FernetKey key, string plain) => Fernet.Encrypt(key, Encoding.UTF8.GetBytes(plain), DateTimeOffset.UtcNow);
}
