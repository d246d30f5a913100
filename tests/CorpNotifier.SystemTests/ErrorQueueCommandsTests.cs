using System.Diagnostics;
using System.Text;
using System.Text.Json;
using CorpNotifier.Admin;
using CorpNotifier.Operations;
using RabbitMQ.Client;

namespace CorpNotifier.SystemTests;

/// <summary>
/// <c>dotnet CorpNotifier.dll errors …</c> as ops run it, against the real broker: what lands in
/// <c>corp-notifier-events_error</c> can be listed, shown, replayed once, and purged.
/// </summary>
public sealed class ErrorQueueCommandsTests : SystemTest
{
    private const string Queue = "corp-notifier-events";
    private const string ErrorQueue = "corp-notifier-events_error";

    [Fact]
    public async Task Help_lists_the_commands()
    {
        var root = await RunAsync("--help");
        var errors = await RunAsync("errors", "--help");

        root.Code.ShouldBe(0, root.Error);
        root.Output.ShouldContain("errors");
        errors.Code.ShouldBe(0, errors.Error);
        foreach (var command in new[] { "list", "show <message-id>", "replay", "purge" })
        {
            errors.Output.ShouldContain(command);
        }
    }

    [Fact]
    public async Task List_and_show_tell_what_faulted_and_why_and_leave_the_messages_in_place()
    {
        await StartServiceAsync();
        await FaultAsync("raw-1", "raw-2");
        await FaultOneAsync("raw-secret", """{"eventId":"raw-secret","type":"ContractChanged","occurredAt":"2026-11-26T10:00:00Z","clientId":"client-42","data":{"temporaryPassword":"s3cret-Pa55"}}""");

        var list = await RunAsync("errors", "list");

        list.Code.ShouldBe(0, list.Error);
        list.Output.ShouldContain($"{ErrorQueue}: 3 messages");
        foreach (var queue in ServiceQueues.ErrorQueues("corp-notifier").Where(q => q != ErrorQueue))
        {
            list.Output.ShouldContain(queue);
        }

        var lines = list.Output.Split('\n');
        var first = Line(lines, "raw-1");
        first.ShouldContain("event BalanceChanged");
        first.ShouldContain($"{typeof(InvalidEventException).FullName}:");
        first.ShouldContain("data.oldBalance");
        Array.IndexOf(lines, first).ShouldBeLessThan(Array.IndexOf(lines, Line(lines, "raw-2")));
        Line(lines, "raw-secret").ShouldContain("data.contractId");
        var again = await RunAsync("errors", "list", "--queue", "events");
        again.Output.ShouldStartWith($"{ErrorQueue}: 3 messages");
        again.Output.ShouldContain(string.Join('\n', lines.Where(l => l.StartsWith("  raw-", StringComparison.Ordinal))));
        (await ReadyAsync(ErrorQueue)).ShouldBe(3u);

        var show = await RunAsync("errors", "show", "raw-secret");

        show.Code.ShouldBe(0, show.Error);
        show.Output.ShouldContain($"exception      {typeof(InvalidEventException).FullName}");
        show.Output.ShouldContain("data.contractId");
        show.Output.ShouldContain($"/{Queue}");
        show.Output.ShouldContain("\"eventId\": \"raw-secret\"");
        show.Output.ShouldContain("\"temporaryPassword\": \"***\"");
        show.Output.ShouldNotContain("s3cret-Pa55");
        (await RunAsync("errors", "show", "no-such-id")).Code.ShouldBe(1);
        (await ReadyAsync(ErrorQueue)).ShouldBe(3u);
    }

    [Fact]
    public async Task List_and_show_print_what_the_producer_chose_with_its_control_characters_escaped()
    {
        // An id that would set the terminal's title, ring, clear the screen, return the cursor and
        // reverse what follows; a reason, a header and a body with more of the same.
        const string Id = "raw-evil\u001b]0;owned\u0007\u001b[2J\r\u202e";
        const string Escaped = "raw-evil\\u001b]0;owned\\u0007\\u001b[2J\\u000d\\u202e";
        await using (var connection = await ConnectAsync())
        await using (var channel = await connection.CreateChannelAsync())
        {
            await channel.QueueDeclareAsync(ErrorQueue, durable: true, exclusive: false, autoDelete: false);
        }

        await PublishAsync(ErrorQueue, "not json \u001b[31mred\u009b\u2066", Id, new Dictionary<string, object?>
        {
            ["MT-Reason"] = "fault",
            ["MT-Fault-ExceptionType"] = "CorpNotifier.Intake.InvalidEventException",
            ["MT-Fault-Message"] = "bad \u001b[2J data",
            ["X-Producer-Note"] = "\u001b]0;title\u0007",
        });
        char[] controls = ['\u001b', '\u0007', '\r', '\u202e', '\u009b', '\u2066'];

        var list = await RunAsync("errors", "list", "--queue", "events");
        var show = await RunAsync("errors", "show", Id);

        list.Code.ShouldBe(0, list.Error);
        list.Output.IndexOfAny(controls).ShouldBe(-1, list.Output);
        list.Output.ShouldContain($"  {Escaped}  ");
        list.Output.ShouldContain("bad \\u001b[2J data");
        show.Code.ShouldBe(0, show.Error);
        show.Output.IndexOfAny(controls).ShouldBe(-1, show.Output);
        show.Output.ShouldContain($"message id     {Escaped}\n");
        show.Output.ShouldContain("X-Producer-Note: \\u001b]0;title\\u0007");
        show.Output.ShouldContain("not json \\u001b[31mred\\u009b\\u2066");
        (await ReadyAsync(ErrorQueue)).ShouldBe(1u);
    }

    [Fact]
    public async Task An_invalid_event_replayed_by_id_faults_again_and_is_back_in_the_error_queue_once()
    {
        await StartServiceAsync();
        await FaultAsync("raw-1", "raw-2");

        var replay = await RunAsync("errors", "replay", "--queue", ErrorQueue, "--message-id", "raw-1");

        replay.Code.ShouldBe(0, replay.Error);
        replay.Output.ShouldContain($"moved raw-1 (event BalanceChanged) to {Queue}");
        replay.Output.ShouldContain($"replayed 1 message of 2 from {ErrorQueue} to {Queue}; 1 message left in {ErrorQueue}");
        await WaitForReadyAsync(ErrorQueue, 2);
        var show = await RunAsync("errors", "show", "raw-1");
        show.Output.Split('\n').Count(l => l.StartsWith("  message id", StringComparison.Ordinal)).ShouldBe(1, show.Output);
        show.Output.ShouldContain("replays        1");
        show.Output.ShouldContain("data.oldBalance");
        var list = await RunAsync("errors", "list", "--queue", "events");
        list.Output.ShouldContain($"{ErrorQueue}: 2 messages");
        list.Output.Split('\n').Count(l => l.Contains("raw-1", StringComparison.Ordinal)).ShouldBe(1);
        list.Output.Split('\n').Count(l => l.Contains("raw-2", StringComparison.Ordinal)).ShouldBe(1);
        (await ReadyAsync(Queue)).ShouldBe(0u);
    }

    [Fact]
    public async Task A_valid_event_that_faulted_during_an_outage_is_processed_after_replay_all()
    {
        await StartServiceAsync();
        var evt = Events.Profile("client-42", ["billing@acme.example"]);
        await PutIntoErrorQueueAsync(JsonSerializer.Serialize(Wire(evt)), evt.EventId);

        var replay = await RunAsync("errors", "replay", "--queue", ErrorQueue, "--all");

        replay.Code.ShouldBe(0, replay.Error);
        replay.Output.ShouldContain($"moved {evt.EventId}");
        await Eventually.MatchAsync(
            async () =>
            {
                await using var db = Env.Db();
                return db.Events.Count(e => e.EventId == evt.EventId);
            },
            count => count == 1,
            "the replayed event in the events table",
            diagnostics: Logs);
        (await ReadyAsync(ErrorQueue)).ShouldBe(0u);
        (await RunAsync("errors", "list", "--queue", "events")).Output.ShouldContain($"{ErrorQueue}: 0 messages");
    }

    [Fact]
    public async Task Purge_asks_unless_yes_and_refuses_without_a_terminal()
    {
        await StartServiceAsync();
        await FaultAsync("raw-1", "raw-2");

        var refused = await RunAsync("errors", "purge", "--queue", ErrorQueue);

        refused.Code.ShouldBe(2);
        refused.Error.ShouldContain("--yes");
        (await ReadyAsync(ErrorQueue)).ShouldBe(2u);

        var purge = await RunAsync("errors", "purge", "--queue", ErrorQueue, "--yes");

        purge.Code.ShouldBe(0, purge.Error);
        purge.Output.ShouldContain($"purged 2 messages from {ErrorQueue}");
        (await ReadyAsync(ErrorQueue)).ShouldBe(0u);
    }

    [Fact]
    public async Task The_console_shows_what_faulted_with_its_secret_masked_and_leaves_it_in_place()
    {
        var service = await StartServiceAsync();
        await FaultOneAsync("raw-secret", """{"eventId":"raw-secret","type":"ContractChanged","occurredAt":"2026-11-26T10:00:00Z","clientId":"client-42","data":{"temporaryPassword":"s3cret-Pa55"}}""");
        using var browser = await ConsoleBrowser.SignedInAsync(service, Auth.Roles.Viewer);

        var attention = await browser.GetStringAsync("/admin");
        var page = await browser.GetStringAsync($"/admin/errors/{ErrorQueue}");
        using var other = await browser.GetAsync("/admin/errors/someone-elses-queue");

        attention.ShouldContain($"href=\"/admin/errors/{ErrorQueue}\"");
        page.ShouldContain("1 message(s) in the queue");
        page.ShouldContain(typeof(InvalidEventException).FullName!);
        page.ShouldContain("raw-secret");
        page.ShouldNotContain("s3cret-Pa55");
        other.StatusCode.ShouldBe(System.Net.HttpStatusCode.NotFound);
        (await ReadyAsync(ErrorQueue)).ShouldBe(1u);
    }

    [Fact]
    public async Task From_the_console_an_operator_replays_and_an_admin_purges_through_the_errors_code_each_confirmed_and_audited()
    {
        var service = await StartServiceAsync();
        await FaultAsync("raw-1", "raw-2", "raw-3");
        using var operatorBrowser = await ConsoleBrowser.SignedInAsync(service, Auth.Roles.Operator);
        using var adminBrowser = await ConsoleBrowser.SignedInAsync(service, Auth.Roles.Admin);
        var page = $"/admin/errors/{ErrorQueue}";

        var offered = await operatorBrowser.GetStringAsync(page);
        offered.ShouldContain($"href=\"{page}?confirm=replay\"");
        offered.ShouldNotContain("confirm=purge", customMessage: "an operator may replay, not purge");
        var confirm = await operatorBrowser.GetStringAsync($"{page}?confirm=replay&message=raw-1");
        confirm.ShouldContain("data-testid=\"confirm\"");
        using var replayed = await ConsoleBrowser.PostAsync(operatorBrowser, $"{page}/replay", ConsoleBrowser.Token(confirm), new() { ["messageId"] = "raw-1" });

        replayed.StatusCode.ShouldBe(System.Net.HttpStatusCode.Redirect);
        replayed.Headers.Location!.OriginalString.ShouldBe($"{page}?done=replayed&moved=1&read=3");
        // The invalid event faults again and is back, once, with its replay counted as the command counts it.
        await WaitForReadyAsync(ErrorQueue, 3);
        (await RunAsync("errors", "show", "raw-1")).Output.ShouldContain("replays        1");
        var told = await operatorBrowser.GetStringAsync(replayed.Headers.Location.OriginalString);
        told.ShouldContain($"1 of 3 message(s) moved back to {Queue}.");

        using var operatorPurge = await ConsoleBrowser.PostAsync(operatorBrowser, $"{page}/purge", ConsoleBrowser.Token(told), new() { ["confirmation"] = ErrorQueue });
        operatorPurge.StatusCode.ShouldBe(System.Net.HttpStatusCode.Forbidden);
        var adminPage = await adminBrowser.GetStringAsync($"{page}?confirm=purge");
        using var unconfirmed = await ConsoleBrowser.PostAsync(adminBrowser, $"{page}/purge", ConsoleBrowser.Token(adminPage), new() { ["confirmation"] = "events" });
        unconfirmed.Headers.Location!.OriginalString.ShouldBe($"{page}?confirm=purge&problem=not_confirmed");
        (await ReadyAsync(ErrorQueue)).ShouldBe(3u);

        using var purged = await ConsoleBrowser.PostAsync(adminBrowser, $"{page}/purge", ConsoleBrowser.Token(adminPage), new() { ["confirmation"] = ErrorQueue });

        purged.Headers.Location!.OriginalString.ShouldBe($"{page}?done=purged&moved=3");
        (await ReadyAsync(ErrorQueue)).ShouldBe(0u);
        await using var db = Env.Db();
        var audit = db.Audit.Where(a => a.TargetType == "error_queue").OrderBy(a => a.Id).ToList();
        audit.Select(a => (a.Action, a.Actor, a.TargetId)).ShouldBe(
        [
            ("errors.replay", "system-operator", ErrorQueue),
            ("errors.purge", "system-admin", ErrorQueue),
        ]);
        var replay = JsonDocument.Parse(audit[0].After!).RootElement;
        replay.GetProperty("moved").GetInt32().ShouldBe(1);
        replay.GetProperty("target").GetString().ShouldBe(Queue);
        replay.GetProperty("messageIds").EnumerateArray().Select(i => i.GetString()).ShouldBe(["raw-1"]);
        var purge = JsonDocument.Parse(audit[1].After!).RootElement;
        purge.GetProperty("removed").GetInt32().ShouldBe(3);
        purge.GetProperty("messageIds").EnumerateArray().Select(i => i.GetString()).ShouldBe(["raw-2", "raw-3", "raw-1"]);
    }

    private static string Line(string[] lines, string messageId) =>
        lines.Single(l => l.StartsWith($"  {messageId} ", StringComparison.Ordinal));

    /// <summary>Invalid raw JSON events (a balance that is not a number), faulted by the running service in this order.</summary>
    private async Task FaultAsync(params string[] messageIds)
    {
        foreach (var id in messageIds)
        {
            await FaultOneAsync(id, $$$"""{"eventId":"{{{id}}}","type":"BalanceChanged","occurredAt":"2026-11-26T10:00:00Z","clientId":"client-42","data":{"contractId":"c","oldBalance":"x","newBalance":2,"currency":"RUB"}}""");
        }
    }

    /// <summary>
    /// Publishes an invalid event and waits until the service faulted it: the service consumes
    /// events concurrently, so only one at a time gives the error queue a known order.
    /// </summary>
    private async Task FaultOneAsync(string messageId, string json)
    {
        var before = await ReadyOrNoneAsync(ErrorQueue);
        await PublishAsync(Queue, json, messageId);
        await WaitForReadyAsync(ErrorQueue, before + 1);
    }

    /// <summary>What MassTransit leaves after retries ran out during an outage: the event with its fault headers.</summary>
    private async Task PutIntoErrorQueueAsync(string json, string messageId)
    {
        await using var connection = await ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeclareAsync(ErrorQueue, durable: true, exclusive: false, autoDelete: false);
        await PublishAsync(ErrorQueue, json, messageId, new Dictionary<string, object?>
        {
            ["MT-Reason"] = "fault",
            ["MT-Fault-ExceptionType"] = "Npgsql.NpgsqlException",
            ["MT-Fault-Message"] = "Failed to connect to 127.0.0.1:5432",
            ["MT-Fault-Timestamp"] = DateTimeOffset.UtcNow.ToString("O"),
            ["MT-Fault-InputAddress"] = $"rabbitmq://127.0.0.1/{Env.VirtualHost}/{Queue}",
            ["MT-Fault-RetryCount"] = 10,
        });
    }

    /// <summary>What a producer without MassTransit does: JSON to a queue through the default exchange.</summary>
    private async Task PublishAsync(string queue, string json, string messageId, Dictionary<string, object?>? headers = null)
    {
        await using var connection = await ConnectAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var properties = new BasicProperties { ContentType = "application/json", MessageId = messageId, DeliveryMode = DeliveryModes.Persistent, Headers = headers };
        await channel.BasicPublishAsync("", queue, mandatory: true, properties, Encoding.UTF8.GetBytes(json));
    }

    /// <summary>Messages ready in a queue, as the broker counts them now (the management API lags by seconds).</summary>
    private async Task<uint> ReadyAsync(string queue)
    {
        await using var connection = await ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
    }

    /// <summary>As <see cref="ReadyAsync"/>, or 0 while the queue is not declared (MassTransit declares an error queue at its first fault).</summary>
    private async Task<uint> ReadyOrNoneAsync(string queue)
    {
        try
        {
            return await ReadyAsync(queue);
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            return 0;
        }
    }

    private Task WaitForReadyAsync(string queue, uint count) =>
        Eventually.MatchAsync(() => ReadyOrNoneAsync(queue), ready => ready == count, $"{count} messages ready in {queue}", diagnostics: Logs);

    private Task<IConnection> ConnectAsync() => new ConnectionFactory
    {
        HostName = SystemEnvironment.RabbitHost,
        Port = SystemEnvironment.RabbitPort,
        VirtualHost = Env.VirtualHost,
        UserName = SystemEnvironment.RabbitUser,
        Password = SystemEnvironment.RabbitPassword,
    }.CreateConnectionAsync();

    /// <summary>
    /// The built executable with a command, configured as the service is (environment variables),
    /// from an unrelated folder and with no terminal on standard input.
    /// </summary>
    private async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet", [HostBuild.Dll, .. args])
        {
            WorkingDirectory = Directory.CreateTempSubdirectory("corp-notifier-cwd-").FullName,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in Env.HostSettings())
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"corp-notifier {string.Join(' ', args)} did not finish:\n{await output}\n{await error}");
        }

        return (process.ExitCode, await output, await error);
    }
}
