using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CorpNotifier.Admin;
using CorpNotifier.Auth;
using CorpNotifier.Tests.Integration;

namespace CorpNotifier.Tests.Admin;

/// <summary>The would-send report's CSV, as it opens in a spreadsheet: UTF-8, every character as itself.</summary>
public sealed class WouldSendCsvTests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task The_csv_is_utf8_and_writes_Cyrillic_arguments_without_escapes()
    {
        using var host = new TestHost();
        await host.PostAndWaitAsync(host.Events.Profile("client-1"));
        using var admin = host.Client(Roles.Admin);
        using var current = await admin.GetAsync("/api/v1/settings/notices/LowBalanceNotice");
        var view = (await current.Content.ReadFromJsonAsync<NoticeSettingsView>(Json))!;
        using var shadow = new HttpRequestMessage(HttpMethod.Put, "/api/v1/settings/notices/LowBalanceNotice")
        {
            Content = JsonContent.Create(new { enabled = true, mode = "Shadow", offset = view.Offset, slugs = view.Slugs, extraRecipients = view.ExtraRecipients }),
        };
        shadow.Headers.TryAddWithoutValidation("If-Match", current.Headers.ETag!.Tag);
        (await admin.SendAsync(shadow)).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var sent = await admin.PostAsJsonAsync("/api/v1/clients/client-1/notices", new
        {
            kind = "LowBalanceNotice",
            contractId = "k-1",
            args = new { external_id = "ДГ-2026/7", old_balance = "150", new_balance = "5", currency = "RUB" },
        });
        var id = (await sent.Content.ReadFromJsonAsync<NoticeView>(Json))!.Id;
        await Eventually.MatchAsync(
            async () => (await admin.GetFromJsonAsync<NoticeDetailView>($"/api/v1/notices/{id}", Json))!.Notice.Status,
            status => status == "shadowed",
            "the letter to be shadowed");
        var day = DateOnly.FromDateTime(host.Clock.GetUtcNow().UtcDateTime);

        using var response = await admin.GetAsync($"/api/v1/reports/would-send/letters.csv?day={day:yyyy-MM-dd}");
        var bytes = await response.Content.ReadAsByteArrayAsync();

        response.Content.Headers.ContentType!.ToString().ShouldBe("text/csv; charset=utf-8");
        var csv = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes).TrimStart('\uFEFF');
        var line = csv.Split("\r\n").Single(l => l.StartsWith($"{id},", StringComparison.Ordinal));
        line.ShouldContain("\"\"external_id\"\":\"\"ДГ-2026/7\"\"");
        csv.ShouldNotContain("\\u04");
    }
}
