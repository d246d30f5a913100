using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Threading.RateLimiting;
using CorpNotifier.Hosting;
using CorpNotifier.Mailers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace CorpNotifier.Tests.Mailers;

/// <summary>The door to the mailer: its rate and concurrency, the pause a <c>Retry-After</c> asks for, and the circuit breaker — on a clock the test moves.</summary>
public sealed class MailerGateTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly ManualClock _clock = new();

    public void Dispose() => _services.Dispose();

    [Theory]
    [InlineData(200, 1, 20, 100)]
    [InlineData(200, 2, 10, 100)]
    [InlineData(205, 1, 21, 102.439)]
    [InlineData(5, 1, 1, 200)]
    [InlineData(1, 4, 1, 4000)]
    public void Each_instance_takes_its_share_of_the_total_rate_in_whole_tokens_about_ten_times_a_second(double perSecond, int instances, int tokens, double periodMs)
    {
        var bucket = new MailerLimitsOptions { PerSecond = perSecond, Instances = instances }.RateLimiterOptions()!;

        bucket.TokensPerPeriod.ShouldBe(tokens);
        bucket.TokenLimit.ShouldBe(tokens);
        bucket.ReplenishmentPeriod.TotalMilliseconds.ShouldBe(periodMs, 0.01);
        (bucket.TokensPerPeriod / bucket.ReplenishmentPeriod.TotalSeconds).ShouldBe(perSecond / instances, perSecond / instances * 0.001);
    }

    [Fact]
    public void No_rate_is_set_by_default()
    {
        new MailerLimitsOptions().RateLimiterOptions().ShouldBeNull();
        new MailerLimitsOptions().InstanceShare.ShouldBeNull();
    }

    [Fact]
    public async Task Calls_beyond_the_tokens_of_a_period_wait_for_the_next_period_and_are_then_made()
    {
        var options = new MailerLimitsOptions { PerSecond = 30 };
        using var rate = new TokenBucketRateLimiter(options.RateLimiterOptions(autoReplenishment: false)!);
        using var gate = Gate(options, rate);
        var mailer = new ScriptedMailer(_clock);

        var calls = Enumerable.Range(1, 4).Select(i => gate.SendAsync(mailer, Letter(i), CancellationToken.None)).ToList();

        await Eventually.MatchAsync(() => Task.FromResult(mailer.Calls.Count), n => n == 3, "the period's three tokens used");
        calls[3].IsCompleted.ShouldBeFalse();
        mailer.Calls.Count.ShouldBe(3);

        // A bucket topped up by hand gets the tokens of the time since its last top-up (30 a second
        // here), so it is topped up until that time is worth the fourth call's token.
        await Eventually.MatchAsync(
            () =>
            {
                rate.TryReplenish();
                return Task.FromResult(calls[3].IsCompleted);
            },
            made => made,
            "the fourth call made once the bucket has a token again");

        (await calls[3]).ShouldBeOfType<MailResult.Accepted>();
        mailer.Calls.Select(c => c.NoticeId).Order().ShouldBe([1, 2, 3, 4]);
    }

    [Fact]
    public async Task A_waiting_call_gives_up_with_the_send_paths_cancellation()
    {
        var options = new MailerLimitsOptions { PerSecond = 5 };
        using var rate = new TokenBucketRateLimiter(options.RateLimiterOptions(autoReplenishment: false)!);
        using var gate = Gate(options, rate);
        var mailer = new ScriptedMailer(_clock);
        await gate.SendAsync(mailer, Letter(1), CancellationToken.None);
        using var stop = new CancellationTokenSource();

        var waiting = gate.SendAsync(mailer, Letter(2), stop.Token);
        await stop.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(waiting);
        mailer.Calls.Count.ShouldBe(1);
    }

    [Fact]
    public async Task No_more_calls_than_the_concurrency_cap_are_under_way_at_once()
    {
        using var gate = Gate(new MailerLimitsOptions { Concurrency = 2 });
        var mailer = new ScriptedMailer(_clock) { Hold = new TaskCompletionSource() };

        var calls = Enumerable.Range(1, 3).Select(i => gate.SendAsync(mailer, Letter(i), CancellationToken.None)).ToList();
        await Eventually.MatchAsync(() => Task.FromResult(mailer.Calls.Count), n => n == 2, "two calls under way");
        mailer.Calls.Count.ShouldBe(2);

        mailer.Hold.SetResult();

        await Task.WhenAll(calls);
        mailer.Calls.Count.ShouldBe(3);
        mailer.MostAtOnce.ShouldBe(2);
    }

    [Fact]
    public async Task A_short_retry_after_pauses_every_call_until_then_and_the_letter_is_sent_in_place()
    {
        using var gate = Gate(new MailerLimitsOptions());
        var mailer = new ScriptedMailer(_clock);
        mailer.Script.Enqueue(new MailResult.Transient("Sender answered 429: slow down", TimeSpan.FromSeconds(5)));
        var start = _clock.GetUtcNow();

        var first = gate.SendAsync(mailer, Letter(1), CancellationToken.None);
        await Eventually.MatchAsync(() => Task.FromResult(_clock.PendingTimers), n => n == 1, "the first call waiting out the pause");
        gate.PausedUntil.ShouldBe(start.AddSeconds(5));
        var second = gate.SendAsync(mailer, Letter(2), CancellationToken.None);
        await Eventually.MatchAsync(() => Task.FromResult(_clock.PendingTimers), n => n == 2, "the second call waiting out the pause");

        _clock.Advance(TimeSpan.FromSeconds(4.9));
        mailer.Calls.Count.ShouldBe(1);
        _clock.Advance(TimeSpan.FromSeconds(0.1));

        (await first).ShouldBeOfType<MailResult.Accepted>();
        (await second).ShouldBeOfType<MailResult.Accepted>();
        mailer.Calls.Count.ShouldBe(3);
        mailer.CallTimes.Skip(1).ShouldAllBe(at => at >= start.AddSeconds(5));
    }

    [Fact]
    public async Task A_retry_after_longer_than_is_waited_in_place_goes_back_to_the_send_path_and_still_pauses_the_others()
    {
        using var gate = Gate(new MailerLimitsOptions { RetryInPlaceUpTo = TimeSpan.FromSeconds(30) });
        var mailer = new ScriptedMailer(_clock);
        mailer.Script.Enqueue(new MailResult.Transient("Sender answered 503: maintenance", TimeSpan.FromMinutes(2)));

        var result = await gate.SendAsync(mailer, Letter(1), CancellationToken.None);

        result.ShouldBeOfType<MailResult.Transient>().RetryAfter.ShouldBe(TimeSpan.FromMinutes(2));
        var next = gate.SendAsync(mailer, Letter(2), CancellationToken.None);
        await Eventually.MatchAsync(() => Task.FromResult(_clock.PendingTimers), n => n == 1, "the next call waiting out the pause");
        _clock.Advance(TimeSpan.FromSeconds(119));
        next.IsCompleted.ShouldBeFalse();
        mailer.Calls.Count.ShouldBe(1);
        _clock.Advance(TimeSpan.FromSeconds(1));
        (await next).ShouldBeOfType<MailResult.Accepted>();
    }

    [Fact]
    public async Task A_letter_waits_in_place_no_longer_than_the_setting_in_all()
    {
        using var gate = Gate(new MailerLimitsOptions { RetryInPlaceUpTo = TimeSpan.FromSeconds(10) });
        var mailer = new ScriptedMailer(_clock);
        for (var i = 0; i < 5; i++)
        {
            mailer.Script.Enqueue(new MailResult.Transient("Sender answered 429", TimeSpan.FromSeconds(4)));
        }

        var call = gate.SendAsync(mailer, Letter(1), CancellationToken.None);
        for (var waits = 1; waits <= 2; waits++)
        {
            await Eventually.MatchAsync(() => Task.FromResult(_clock.PendingTimers), n => n == 1, $"wait {waits} in place");
            _clock.Advance(TimeSpan.FromSeconds(4));
        }

        (await call).ShouldBeOfType<MailResult.Transient>().RetryAfter.ShouldBe(TimeSpan.FromSeconds(4));
        mailer.Calls.Count.ShouldBe(3);
    }

    [Fact]
    public async Task The_circuit_opens_after_failures_in_a_row_and_then_refuses_calls_without_reaching_the_mailer()
    {
        using var gate = Gate(new MailerLimitsOptions { BreakAfterFailures = 3, BreakFor = TimeSpan.FromSeconds(30) });
        var mailer = new ScriptedMailer(_clock);
        for (var i = 0; i < 3; i++)
        {
            mailer.Script.Enqueue(new MailResult.Transient("Sender answered 500: down"));
        }

        for (var i = 0; i < 3; i++)
        {
            (await gate.SendAsync(mailer, Letter(i), CancellationToken.None)).ShouldBeOfType<MailResult.Transient>();
        }

        var refused = (await gate.SendAsync(mailer, Letter(4), CancellationToken.None)).ShouldBeOfType<MailResult.Transient>();

        refused.Error.ShouldContain("mailer circuit open");
        refused.RetryAfter.ShouldBe(TimeSpan.FromSeconds(30));
        mailer.Calls.Count.ShouldBe(3);
        var circuit = gate.Breaker.State(_clock.GetUtcNow());
        circuit.State.ShouldBe(MailerCircuitState.Open);
        circuit.Failures.ShouldBe(3);
        circuit.OpenUntil.ShouldBe(_clock.GetUtcNow().AddSeconds(30));
    }

    [Fact]
    public async Task After_the_break_one_probe_goes_through_and_its_success_closes_the_circuit()
    {
        using var gate = Gate(new MailerLimitsOptions { BreakAfterFailures = 2, BreakFor = TimeSpan.FromSeconds(30) });
        var mailer = new ScriptedMailer(_clock);
        mailer.Script.Enqueue(new MailResult.Transient("down"));
        mailer.Script.Enqueue(new MailResult.Transient("down"));
        await gate.SendAsync(mailer, Letter(1), CancellationToken.None);
        await gate.SendAsync(mailer, Letter(2), CancellationToken.None);

        _clock.Advance(TimeSpan.FromSeconds(30));
        gate.Breaker.State(_clock.GetUtcNow()).State.ShouldBe(MailerCircuitState.HalfOpen);
        mailer.Hold = new TaskCompletionSource();
        var probe = gate.SendAsync(mailer, Letter(3), CancellationToken.None);
        await Eventually.MatchAsync(() => Task.FromResult(mailer.Calls.Count), n => n == 3, "the probe at the mailer");
        var meanwhile = (await gate.SendAsync(mailer, Letter(4), CancellationToken.None)).ShouldBeOfType<MailResult.Transient>();
        meanwhile.Error.ShouldContain("probe");
        mailer.Hold.SetResult();

        (await probe).ShouldBeOfType<MailResult.Accepted>();
        gate.Breaker.State(_clock.GetUtcNow()).State.ShouldBe(MailerCircuitState.Closed);
        (await gate.SendAsync(mailer, Letter(5), CancellationToken.None)).ShouldBeOfType<MailResult.Accepted>();
        mailer.Calls.Count.ShouldBe(4);
    }

    [Fact]
    public async Task A_failed_probe_opens_the_circuit_for_another_break()
    {
        using var gate = Gate(new MailerLimitsOptions { BreakAfterFailures = 1, BreakFor = TimeSpan.FromSeconds(10) });
        var mailer = new ScriptedMailer(_clock);
        mailer.Script.Enqueue(new MailResult.Transient("down"));
        mailer.Script.Enqueue(new MailResult.Transient("still down"));
        await gate.SendAsync(mailer, Letter(1), CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(10));

        (await gate.SendAsync(mailer, Letter(2), CancellationToken.None)).ShouldBeOfType<MailResult.Transient>().Error.ShouldBe("still down");

        var circuit = gate.Breaker.State(_clock.GetUtcNow());
        circuit.State.ShouldBe(MailerCircuitState.Open);
        circuit.OpenUntil.ShouldBe(_clock.GetUtcNow().AddSeconds(10));
        circuit.LastError.ShouldBe("still down");
    }

    [Fact]
    public async Task Throttling_answers_and_permanent_refusals_never_open_the_circuit()
    {
        using var gate = Gate(new MailerLimitsOptions { BreakAfterFailures = 2, RetryInPlaceUpTo = TimeSpan.Zero });
        var mailer = new ScriptedMailer(_clock);
        mailer.Script.Enqueue(new MailResult.Transient("down"));
        mailer.Script.Enqueue(new MailResult.Permanent("bad address"));
        mailer.Script.Enqueue(new MailResult.Transient("down"));
        mailer.Script.Enqueue(new MailResult.Transient("429", TimeSpan.FromSeconds(1)));
        mailer.Script.Enqueue(new MailResult.Transient("429", TimeSpan.FromSeconds(1)));

        for (var i = 0; i < 5; i++)
        {
            await gate.SendAsync(mailer, Letter(i), CancellationToken.None);
            _clock.Advance(TimeSpan.FromSeconds(1));
        }

        gate.Breaker.State(_clock.GetUtcNow()).State.ShouldBe(MailerCircuitState.Closed);
        mailer.Calls.Count.ShouldBe(5);
    }

    [Fact]
    public async Task Without_a_breaker_every_call_reaches_the_mailer()
    {
        using var gate = Gate(new MailerLimitsOptions());
        var mailer = new ScriptedMailer(_clock);
        for (var i = 0; i < 50; i++)
        {
            mailer.Script.Enqueue(new MailResult.Transient("down"));
        }

        for (var i = 0; i < 50; i++)
        {
            await gate.SendAsync(mailer, Letter(i), CancellationToken.None);
        }

        mailer.Calls.Count.ShouldBe(50);
        gate.Breaker.State(_clock.GetUtcNow()).State.ShouldBe(MailerCircuitState.Closed);
    }

    private MailerGate Gate(MailerLimitsOptions options, RateLimiter? rate = null) =>
        new(options, _clock, new NotifierMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()), NullLogger<MailerGate>.Instance, rate);

    internal static Letter Letter(long noticeId) =>
        new(noticeId, "LowBalanceNotice", "low-balance", "billing@acme.example", "en", new JsonObject());

    /// <summary>A mailer that answers from its script (accepted once empty), records when each call came, and can hold every call until released.</summary>
    private sealed class ScriptedMailer(TimeProvider clock) : IMailer
    {
        private int _underWay;
        private int _mostAtOnce;

        public ConcurrentQueue<MailResult> Script { get; } = new();

        public ConcurrentQueue<Letter> Calls { get; } = new();

        public ConcurrentQueue<DateTimeOffset> CallTimes { get; } = new();

        public TaskCompletionSource? Hold { get; set; }

        public int MostAtOnce => _mostAtOnce;

        public async Task<MailResult> SendAsync(Letter letter, CancellationToken cancellationToken)
        {
            var now = Interlocked.Increment(ref _underWay);
            int most;
            while ((most = _mostAtOnce) < now && Interlocked.CompareExchange(ref _mostAtOnce, now, most) != most)
            {
            }

            CallTimes.Enqueue(clock.GetUtcNow());
            Calls.Enqueue(letter);
            try
            {
                if (Hold is { } hold)
                {
                    await hold.Task.WaitAsync(cancellationToken);
                }

                return Script.TryDequeue(out var scripted) ? scripted : new MailResult.Accepted($"msg-{letter.NoticeId}");
            }
            finally
            {
                Interlocked.Decrement(ref _underWay);
            }
        }
    }
}
