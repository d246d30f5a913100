using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CorpNotifier.Tests.Integration;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CorpNotifier.Tests.Intake;

/// <summary><c>POST /api/v1/events</c> answers a request that is wrong as a request (not as an event) in words that say what to send.</summary>
public sealed class IntakeApiTests : IDisposable
{
    private readonly TestHost _host = new();

    public void Dispose() => _host.Dispose();

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    [InlineData(null)]
    public async Task A_body_that_is_not_sent_as_json_gets_415_naming_application_json(string? contentType)
    {
        using var client = _host.Client(CorpNotifier.Auth.Roles.Producer);
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(EventEnvelopeReader.Write(_host.Events.Order("client-42")).ToJsonString()));
        content.Headers.ContentType = contentType is null ? null : new MediaTypeHeaderValue(contentType);

        using var response = await client.PostAsync("/api/v1/events", content);

        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType, body);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        using var problem = JsonDocument.Parse(body);
        problem.RootElement.GetProperty("status").GetInt32().ShouldBe(415);
        problem.RootElement.GetProperty("detail").GetString()!.ShouldStartWith("Send the ");
        problem.RootElement.GetProperty("detail").GetString()!.ShouldContain(" as application/json (the request's Content-Type was ");
    }

    [Fact]
    public void Every_endpoint_that_names_the_content_types_it_takes_takes_json_only()
    {
        // Routing answers 415 for these before their handlers run; the answer says application/json.
        var accepting = _host.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .Select(e => (Name: e.DisplayName, Accepts: e.Metadata.GetMetadata<IAcceptsMetadata>()))
            .Where(e => e.Accepts is { ContentTypes.Count: > 0 })
            .ToList();

        accepting.ShouldNotBeEmpty();
        accepting.Where(e => e.Accepts!.ContentTypes.Any(t => t != "application/json")).Select(e => $"{e.Name}: {string.Join(", ", e.Accepts!.ContentTypes)}").ShouldBeEmpty();
    }

    [Fact]
    public async Task A_malformed_body_gets_400_in_words_with_where_it_is()
    {
        using var client = _host.Client(CorpNotifier.Auth.Roles.Producer);
        using var content = new StringContent("{\"eventId\": \"e-1\",\n \"type\": 'OrderCompleted'}", Encoding.UTF8, "application/json");

        using var response = await client.PostAsync("/api/v1/events", content);

        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, body);
        using var problem = JsonDocument.Parse(body);
        problem.RootElement.GetProperty("errors").GetProperty("$")[0].GetString()
            .ShouldBe("malformed JSON at line 2, column 10, in type: text and field names are written in double quotes (\"), not single ones");
    }
}
