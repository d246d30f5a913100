using System.Text.Json;
using System.Text.Json.Nodes;
using CorpNotifier.Tests.Integration;

namespace CorpNotifier.Tests.Admin;

/// <summary>
/// The committed OpenAPI document (docs/openapi.json, what API users read) matches the code.
/// After an intended API change: <c>UPDATE_OPENAPI=1 dotnet test --filter OpenApiDocumentTests</c>, commit.
/// </summary>
public sealed class OpenApiDocumentTests
{
    [Fact]
    public async Task The_committed_openapi_document_matches_the_served_one()
    {
        using var host = new TestHost();
        using var client = host.CreateClient();
        var served = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!;
        served.AsObject().Remove("servers"); // the test server's address is not part of the contract
        var text = served.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
        var path = Repository.PathTo("docs", "openapi.json");
        if (Environment.GetEnvironmentVariable("UPDATE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(path, text);
        }

        File.Exists(path).ShouldBeTrue($"{path} is missing; run UPDATE_OPENAPI=1 dotnet test --filter OpenApiDocumentTests");
        text.ShouldBe(await File.ReadAllTextAsync(path), "docs/openapi.json drifted from the code; run UPDATE_OPENAPI=1 dotnet test --filter OpenApiDocumentTests");
    }

    [Fact]
    public async Task The_reference_page_is_served_at_docs_with_its_script_bundled()
    {
        using var host = new TestHost();
        using var client = host.CreateClient();
        var page = await client.GetStringAsync("/docs/");
        page.ShouldContain("corp-notifier API");
        (await client.GetAsync("/docs/scalar.js")).IsSuccessStatusCode.ShouldBeTrue();
    }

    [Fact]
    public async Task The_reference_page_and_its_configuration_name_no_outside_host_and_no_web_font()
    {
        using var host = new TestHost();
        using var client = host.CreateClient();

        var page = await client.GetStringAsync("/docs/");

        var addresses = System.Text.RegularExpressions.Regex.Matches(page, @"(?:https?:)?//[\w.-]+").Select(m => m.Value).ToList();
        addresses.ShouldBeEmpty("the page and its configuration reach no other host");
        page.ShouldContain("\"withDefaultFonts\":false", customMessage: "Scalar's web fonts come from fonts.scalar.com unless turned off");
        page.ShouldContain("\"favicon\":\"/favicon.svg\"");
        (await client.GetAsync("/favicon.svg")).IsSuccessStatusCode.ShouldBeTrue();
    }
}
