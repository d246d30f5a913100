using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit.Abstractions;

namespace CorpNotifier.SystemTests;

/// <summary>
/// Bad days with the real servers: the service starts without its database or its broker, loses
/// the broker while it runs, and waits out a database outage longer than its retry budget — and
/// in every case says what is missing, loses nothing and moves no good event to an error queue.
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class OutageTests(ITestOutputHelper output) : SystemTest
{
    private readonly Figures _output = new(output, nameof(OutageTests));

    /// <summary>Every error queue the service declares.</summary>
    private static readonly IReadOnlyList<string> ErrorQueues = CorpNotifier.Operations.ServiceQueues.ErrorQueues("corp-notifier");

    [Fact]
    public async Task Started_without_postgresql_it_answers_live_says_the_database_is_missing_and_starts_work_when_it_arrives()
    {
        ServiceProcess service;
        var watch = Stopwatch.StartNew();
        await Servers.StopPostgresAsync();
        try
        {
            service = await StartServiceAsync(FastDatabaseRetry, waitUntilReady: false);
            _output.WriteLine($"/health/live answered {watch.Elapsed.TotalSeconds:0.0} s after the start, with PostgreSQL down");

            var readiness = await Eventually.MatchAsync(service.ReadinessAsync, r => r.Contains("unreachable", StringComparison.Ordinal), "readiness to name the database", diagnostics: Logs);
            readiness.ShouldContain("\"database\":{\"status\":\"Unhealthy\"");
            (await service.IsReadyAsync()).ShouldBeFalse();

            // The broker takes events meanwhile; they wait there.
            await PostAsync(service, Events.Profile("client-42", ["billing@acme.example"]));
            await Eventually.MatchAsync(() => Task.FromResult(AttemptLines(service).Count), n => n >= 2, "two logged attempts to reach the database", diagnostics: Logs);
        }
        finally
        {
            await Servers.StartPostgresAsync();
        }

        await Eventually.MatchAsync(service.IsReadyAsync, ready => ready, "readiness once PostgreSQL is back", TimeSpan.FromSeconds(60), Logs);
        await Eventually.MatchAsync(
            async () =>
            {
                await using var db = Env.Db();
                return db.Events.Count();
            },
            n => n == 1,
            "the profile sent during the outage to be processed",
            diagnostics: Logs);

        var attempts = AttemptLines(service);
        _output.WriteLine($"{attempts.Count} attempts logged while PostgreSQL was down, one line each:\n{string.Join('\n', attempts)}");
        attempts.ShouldAllBe(line => line.Contains("unreachable", StringComparison.Ordinal));
        service.Output.ShouldNotContain(line => line.TrimStart().StartsWith("at ", StringComparison.Ordinal), "no stack trace for an expected outage");
    }

    [Fact]
    public async Task Started_without_rabbitmq_it_answers_live_refuses_events_with_503_and_starts_work_when_the_broker_arrives()
    {
        ServiceProcess service;
        await Servers.StopRabbitMqAsync();
        try
        {
            service = await StartServiceAsync(waitUntilReady: false);
            var readiness = await Eventually.MatchAsync(service.ReadinessAsync, r => r.Contains("\"bus\":{\"status\":\"Unhealthy\"", StringComparison.Ordinal), "readiness to name the bus", diagnostics: Logs);
            _output.WriteLine($"readiness with RabbitMQ down: {readiness}");

            var watch = Stopwatch.StartNew();
            using var refused = await service.Client.PostAsJsonAsync("/api/v1/events", Wire(Events.Profile("client-42", ["billing@acme.example"])));
            _output.WriteLine($"POST /api/v1/events answered {(int)refused.StatusCode} in {watch.Elapsed.TotalSeconds:0.00} s");
            refused.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
            refused.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
            await Eventually.MatchAsync(() => Task.FromResult(service.Output.Count(l => l.Contains("Broker check", StringComparison.Ordinal))), n => n >= 2, "the broker checks to be logged", diagnostics: Logs);
        }
        finally
        {
            await Servers.StartRabbitMqAsync();
        }

        await Eventually.MatchAsync(service.IsReadyAsync, ready => ready, "readiness once RabbitMQ is back", TimeSpan.FromSeconds(90), Logs);
        await SeedClientAsync(service);
        await PostAsync(service, Events.Balance("client-42", 150, 50));
        await WaitUntilSentAsync(1, "a letter once the broker is there", TimeSpan.FromSeconds(30));
        service.Output.Where(l => l.Contains("Broker check", StringComparison.Ordinal)).ShouldAllBe(l => !l.Contains("   at ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task When_the_broker_is_lost_the_intake_answers_503_within_seconds_readiness_fails_and_both_recover_by_themselves()
    {
        var service = await StartServiceAsync(new Dictionary<string, string> { ["Intake:PublishTimeout"] = "00:00:03" });
        await SeedClientAsync(service);

        await Servers.StopRabbitMqAsync();
        try
        {
            var watch = Stopwatch.StartNew();
            using var refused = await service.Client.PostAsJsonAsync("/api/v1/events", Wire(Events.Balance("client-42", 150, 50)));
            var answeredIn = watch.Elapsed;
            _output.WriteLine($"POST with the broker gone answered {(int)refused.StatusCode} in {answeredIn.TotalSeconds:0.00} s (publish timeout 3 s)");
            refused.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
            answeredIn.ShouldBeLessThan(TimeSpan.FromSeconds(30), "a request must not hang on a lost broker");
            await Eventually.MatchAsync(service.IsReadyAsync, ready => !ready, "readiness to fail while the broker is gone", diagnostics: Logs);
        }
        finally
        {
            await Servers.StartRabbitMqAsync();
        }

        await Eventually.MatchAsync(service.IsReadyAsync, ready => ready, "readiness to recover", TimeSpan.FromSeconds(90), Logs);
        await PostAsync(service, Events.Balance("client-42", 150, 40));
        await WaitUntilSentAsync(1, "the letter of an event sent after the broker came back", TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_database_outage_under_load_moves_no_event_to_an_error_queue_and_logs_one_warning_down_and_one_back()
    {
        // An in-process retry budget of about a second, against an outage of several seconds; the
        // log as ops read it (JSON), so each entry's level is known.
        var settings = new Dictionary<string, string>(FastDatabaseRetry)
        {
            ["Messaging:RetryLimit"] = "4",
            ["Messaging:RetryMinInterval"] = "00:00:00.050",
            ["Messaging:RetryMaxInterval"] = "00:00:00.200",
            ["Messaging:RetryIntervalDelta"] = "00:00:00.050",
            ["Logging:Console:FormatterName"] = "json",
        };
        var service = await StartServiceAsync(settings);
        await SeedClientAsync(service);
        const int Before = 10;
        const int During = 20;

        // Load when the database stops: events on their way and letters being sent.
        for (var i = 0; i < Before; i++)
        {
            await PostAsync(service, Events.Balance("client-42", 150, 30 + i));
        }

        var linesBefore = service.Output.Count;
        var watch = Stopwatch.StartNew();
        await Servers.StopPostgresAsync();
        try
        {
            for (var i = 0; i < During; i++)
            {
                await PostAsync(service, Events.Balance("client-42", 150, 50 + i));
            }

            // Well past the retry budget: the watch failed to reach the database four times, 0.2 + 0.4 + 0.8 s of backoff apart.
            await Eventually.MatchAsync(() => Task.FromResult(AttemptLines(service).Count), n => n >= 4, "four failed database attempts", TimeSpan.FromSeconds(60), Logs);
            foreach (var queue in ErrorQueues)
            {
                (await Env.QueueDepthAsync(queue)).ShouldBe(0, $"{queue} during the outage");
            }
        }
        finally
        {
            await Servers.StartPostgresAsync();
        }

        var outage = watch.Elapsed;
        await WaitUntilSentAsync(Before + During, $"all {Before + During} letters once the database is back", TimeSpan.FromSeconds(90));
        foreach (var queue in ErrorQueues)
        {
            (await Env.QueueDepthAsync(queue)).ShouldBe(0, $"{queue} after the outage");
        }

        // An outage is an expected condition: no Error to page anyone, one Warning when the
        // database went down and one when it came back, whatever the load.
        var entries = service.Output.Skip(linesBefore).Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        var notable = entries.Where(e => e.GetProperty("LogLevel").GetString() is "Warning" or "Error" or "Critical").ToList();
        var shown = string.Join('\n', notable.Select(e => $"{e.GetProperty("LogLevel").GetString()} {e.GetProperty("Category").GetString()}: {e.GetProperty("Message").GetString()}"));
        _output.WriteLine($"Warning and Error entries from the stop on:\n{shown}");
        notable.Where(e => e.GetProperty("LogLevel").GetString() is "Error" or "Critical").ShouldBeEmpty($"no Error for an outage:\n{shown}");
        notable.Count(e => Says(e, "Database down")).ShouldBe(1, shown);
        notable.Count(e => Says(e, "Database back after")).ShouldBe(1, shown);
        notable.Count.ShouldBe(2, $"nothing else at Warning:\n{shown}");

        _output.WriteLine($"outage {outage.TotalSeconds:0.0} s against a retry budget of about 1 s: {Before} events sent just before it and {During} during it, {Before + During} letters sent, 0 in error queues");
    }

    private static bool Says(JsonElement entry, string text) =>
        entry.GetProperty("Category").GetString() == typeof(CorpNotifier.Persistence.DatabaseWatch).FullName
        && entry.GetProperty("Message").GetString()!.StartsWith(text, StringComparison.Ordinal);

    private static Dictionary<string, string> FastDatabaseRetry => new()
    {
        ["Persistence:RetryDelay"] = "00:00:00.200",
        ["Persistence:MaxRetryDelay"] = "00:00:02",
    };

    private static List<string> AttemptLines(ServiceProcess service) =>
        service.Output.Where(l => l.Contains("Database attempt", StringComparison.Ordinal)).ToList();
}
