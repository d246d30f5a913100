using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CorpNotifier.Mailers;
using Microsoft.Extensions.DependencyInjection;

namespace CorpNotifier.Tests.Integration;

/// <summary>
/// The whole host in the Sender mode against a stand-in Sender that answers <c>429</c> with
/// <c>Retry-After</c>: every letter ends <c>sent</c> on its first attempt, and nothing reaches the
/// Sender while it asked to wait.
/// </summary>
public sealed class MailerLimitsTests
{
    [Fact]
    public async Task Letters_answered_429_with_retry_after_wait_it_out_and_all_end_sent_on_their_first_attempt()
    {
        var sender = new ThrottlingSender(throttled: 3, retryAfter: TimeSpan.FromSeconds(1));
        using var host = new TestHost(
            new Dictionary<string, string?>
            {
                ["Mailer"] = "Sender",
                ["Sender:BaseUrl"] = "http://sender.test",
                ["Sender:Account"] = "corp",
                ["Sender:ApiKey"] = "test-account-key",
                ["MailerLimits:PerSecond"] = "20",
                // One call at a time: none is on its way while a 429 is, so any call during a pause
                // is one the service made after it was told to wait.
                ["MailerLimits:Concurrency"] = "1",
            },
            services => services.AddHttpClient<SenderMailer>().ConfigurePrimaryHttpMessageHandler(() => sender));
        _ = host.Services;
        _ = host.Meter; // counts from here
        var clients = Enumerable.Range(1, 6).Select(i => $"client-{i}").ToList();
        foreach (var client in clients)
        {
            await host.PostAndWaitAsync(host.Events.Profile(client, [$"billing@{client}.example"]));
            await host.PostAndWaitAsync(host.Events.ContractResync(client, contractId: $"contract-of-{client}"));
            await host.PostAndWaitAsync(host.Events.Balance(client, 150, 50, contractId: $"contract-of-{client}", eventId: $"balance-{client}"));
        }

        var letters = await Eventually.MatchAsync(
            async () => (await Task.WhenAll(clients.Select(host.NoticesAsync))).SelectMany(n => n).ToList(),
            n => n.Count == clients.Count && n.All(l => l.Status is NoticeStatus.Sent or NoticeStatus.Failed),
            "every letter to end",
            diagnostics: () => $"calls: {sender.Calls.Count}");

        letters.ShouldAllBe(l => l.Status == NoticeStatus.Sent);
        letters.ShouldAllBe(l => l.Attempts == 1);
        sender.Accepted.Order().ShouldBe(clients.Select(c => $"billing@{c}.example").Order());
        sender.Calls.Count.ShouldBe(clients.Count + 3);
        sender.CallsDuringPause.ShouldBe(0);
        host.Meter.Count("corp_notifier.mailer.waits", ("reason", "retry_after")).ShouldBeGreaterThan(0);
    }

    /// <summary>
    /// The Sender's API in process: the first <c>throttled</c> calls are answered <c>429</c> with
    /// <c>Retry-After</c> (whole seconds), the others <c>200</c>; a call that comes while a pause it
    /// asked for is running is counted.
    /// </summary>
    private sealed class ThrottlingSender(int throttled, TimeSpan retryAfter) : HttpMessageHandler
    {
        private readonly object _lock = new();
        private DateTimeOffset _pausedUntil = DateTimeOffset.MinValue;
        private int _throttled = throttled;

        public ConcurrentQueue<DateTimeOffset> Calls { get; } = new();

        public ConcurrentQueue<string> Accepted { get; } = new();

        public int CallsDuringPause { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var now = DateTimeOffset.UtcNow;
            Calls.Enqueue(now);
            lock (_lock)
            {
                if (now < _pausedUntil)
                {
                    CallsDuringPause++;
                }

                if (_throttled > 0)
                {
                    _throttled--;
                    _pausedUntil = now + retryAfter;
                    var refused = new HttpResponseMessage(HttpStatusCode.TooManyRequests) { Content = JsonContent.Create(new { error = "too many requests" }) };
                    refused.Headers.TryAddWithoutValidation("Retry-After", ((int)retryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture));
                    return Task.FromResult(refused);
                }
            }

            var to = System.Web.HttpUtility.ParseQueryString(request.RequestUri!.Query)["to_email"]!;
            Accepted.Enqueue(to);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = JsonContent.Create(JsonSerializer.SerializeToElement(new { result = new { message_id = $"msg-{Accepted.Count}" } })),
            });
        }
    }
}
