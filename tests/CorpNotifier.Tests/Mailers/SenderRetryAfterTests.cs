using System.Net;
using System.Net.Http.Headers;
using CorpNotifier.Mailers;
using Microsoft.Extensions.Options;

namespace CorpNotifier.Tests.Mailers;

/// <summary>The Sender's <c>429</c> and <c>503</c> say how long to wait (<c>Retry-After</c>, in seconds or as an HTTP date); the mailer hands that on with its transient result.</summary>
public sealed class SenderRetryAfterTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    public void Retry_after_in_seconds_is_that_many_seconds(HttpStatusCode status)
    {
        using var response = Answer(status, h => h.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(7)));

        SenderMailer.RetryAfter(response, Now).ShouldBe(TimeSpan.FromSeconds(7));
    }

    [Fact]
    public void Retry_after_as_an_http_date_is_the_time_left_until_then()
    {
        using var response = Answer(HttpStatusCode.TooManyRequests, h => h.TryAddWithoutValidation("Retry-After", "Mon, 02 Mar 2026 09:01:30 GMT"));

        SenderMailer.RetryAfter(response, Now).ShouldBe(TimeSpan.FromSeconds(90));
    }

    [Fact]
    public void Retry_after_a_date_already_past_is_no_wait()
    {
        using var response = Answer(HttpStatusCode.ServiceUnavailable, h => h.TryAddWithoutValidation("Retry-After", "Mon, 02 Mar 2026 08:59:00 GMT"));

        SenderMailer.RetryAfter(response, Now).ShouldBe(TimeSpan.Zero);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError, true)]
    [InlineData(HttpStatusCode.TooManyRequests, false)]
    public void Other_answers_and_answers_without_the_header_say_nothing(HttpStatusCode status, bool withHeader)
    {
        using var response = Answer(status, h =>
        {
            if (withHeader)
            {
                h.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(7));
            }
        });

        SenderMailer.RetryAfter(response, Now).ShouldBeNull();
    }

    [Fact]
    public async Task A_429_with_retry_after_is_a_transient_result_that_carries_the_wait()
    {
        using var http = new HttpClient(new Answering(() => Answer(HttpStatusCode.TooManyRequests, h => h.TryAddWithoutValidation("Retry-After", "12"))))
        {
            BaseAddress = new Uri("http://sender.test/"),
        };
        var mailer = new SenderMailer(http, Options.Create(new SenderOptions { BaseUrl = new Uri("http://sender.test"), Account = "corp", ApiKey = "k" }), TimeProvider.System);

        var result = await mailer.SendAsync(MailerGateTests.Letter(1), CancellationToken.None);

        var transient = result.ShouldBeOfType<MailResult.Transient>();
        transient.RetryAfter.ShouldBe(TimeSpan.FromSeconds(12));
        transient.Error.ShouldStartWith("Sender answered 429");
    }

    private static HttpResponseMessage Answer(HttpStatusCode status, Action<HttpResponseHeaders> headers)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent("{\"error\":\"slow down\"}") };
        headers(response.Headers);
        return response;
    }

    private sealed class Answering(Func<HttpResponseMessage> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(answer());
    }
}
