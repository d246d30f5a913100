using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CorpNotifier.Admin;
using CorpNotifier.Auth;
using CorpNotifier.Tests.Integration;

namespace CorpNotifier.Tests.Admin;

/// <summary>Settings over HTTP: versioned with ETag / If-Match, validated, with history and audit.</summary>
public sealed class SettingsApiTests : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly TestHost _host = new();
    private readonly HttpClient _admin;

    public SettingsApiTests()
    {
        _admin = _host.Client(Roles.Admin);
    }

    public void Dispose()
    {
        _admin.Dispose();
        _host.Dispose();
    }

    private static object Body(bool enabled = true, string offset = "01:00:00", string recipient = "team@corp.example") => new
    {
        enabled,
        mode = "Shadow",
        offset,
        slugs = new Dictionary<string, string> { ["default"] = "low-balance", ["kaz"] = "low-balance-kz" },
        extraRecipients = new Dictionary<string, string[]> { ["default"] = [recipient] },
    };

    [Fact]
    public async Task Every_notice_has_versioned_settings_and_one_is_served_with_its_etag()
    {
        var all = await _admin.GetFromJsonAsync<List<NoticeSettingsView>>("/api/v1/settings/notices", Json);
        all!.Count.ShouldBe(CorpNotifier.Rules.NoticeCatalog.Discover().Rules.Count);
        all.ShouldAllBe(s => s.Version >= 1 && s.Source == "configuration");

        using var one = await _admin.GetAsync("/api/v1/settings/notices/LimitIsOverRemindNotice");
        var view = (await one.Content.ReadFromJsonAsync<NoticeSettingsView>(Json))!;
        one.Headers.ETag!.Tag.ShouldBe($"\"{view.Version}\"");
        view.Offset.ShouldBe(TimeSpan.FromDays(3));
        view.Slugs["default"].ShouldBe("limit-is-over-remind");

        using var unknown = await _admin.GetAsync("/api/v1/settings/notices/NoSuchNotice");
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_change_needs_the_current_etag_and_a_stale_one_gets_412()
    {
        var etag = await ETagAsync("LowBalanceNotice");

        using (var missing = await PutAsync("LowBalanceNotice", Body(), ifMatch: null))
        {
            missing.StatusCode.ShouldBe(HttpStatusCode.PreconditionRequired);
        }

        using (var first = await PutAsync("LowBalanceNotice", Body(), etag))
        {
            first.StatusCode.ShouldBe(HttpStatusCode.OK, await first.Content.ReadAsStringAsync());
            first.Headers.ETag!.Tag.ShouldNotBe(etag);
            var saved = (await first.Content.ReadFromJsonAsync<NoticeSettingsView>(Json))!;
            (saved.Enabled, saved.Mode, saved.Offset, saved.Source, saved.UpdatedBy).ShouldBe((true, "Shadow", TimeSpan.FromHours(1), "api", "test-admin"));
        }

        using (var stale = await PutAsync("LowBalanceNotice", Body(enabled: false), etag))
        {
            stale.StatusCode.ShouldBe(HttpStatusCode.PreconditionFailed);
            stale.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        }

        var history = await _admin.GetFromJsonAsync<List<SettingsHistoryEntry>>("/api/v1/settings/notices/LowBalanceNotice/history", Json);
        history!.Select(h => h.ChangedBy).ShouldBe(["test-admin", "configuration"]);
        var audit = await _admin.GetFromJsonAsync<AuditPage>("/api/v1/audit?action=settings.update", Json);
        var entry = audit!.Items.ShouldHaveSingleItem();
        entry.TargetId.ShouldBe("LowBalanceNotice");
        entry.Before!.Value.GetProperty("mode").GetString().ShouldBe("Live");
        entry.After!.Value.GetProperty("mode").GetString().ShouldBe("Shadow");
    }

    [Fact]
    public async Task Invalid_settings_are_refused_naming_each_field_and_change_nothing()
    {
        var etag = await ETagAsync("LowBalanceNotice");
        using var response = await PutAsync("LowBalanceNotice", Body(offset: "-01:00:00", recipient: "not-an-address"), etag);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        errors.TryGetProperty("offset", out _).ShouldBeTrue();
        errors.TryGetProperty("extraRecipients.default[0]", out _).ShouldBeTrue();
        (await ETagAsync("LowBalanceNotice")).ShouldBe(etag);
    }

    [Fact]
    public async Task The_settings_rules_name_the_body_fields_they_are_about()
    {
        var etag = await ETagAsync("LowBalanceNotice");
        var body = new
        {
            enabled = true,
            mode = "Pigeon",
            offset = "400.00:00:00",
            slugs = new Dictionary<string, string> { ["default"] = "low-balance", ["RUS"] = " " },
            extraRecipients = new Dictionary<string, string[]> { ["kaz"] = ["kz@corp.example", "Boss <boss@corp.example>"] },
        };
        using var response = await PutAsync("LowBalanceNotice", body, etag);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors")
            .EnumerateObject().ToDictionary(p => p.Name, p => p.Value.EnumerateArray().Select(m => m.GetString()).ToList());
        errors.Keys.ShouldBe(["mode", "offset", "slugs.RUS", "extraRecipients.kaz[1]"], ignoreOrder: true);
        errors["mode"].ShouldBe(["must be Live or Shadow (was 'Pigeon')"]);
        errors["offset"].ShouldBe(["must be at most 365.00:00:00 (was 400.00:00:00)"]);
        errors["slugs.RUS"].ShouldBe(["'RUS' is not a country: use a lower-case ISO 3166 alpha-3 code such as rus, or default", "must not be empty"]);
        errors["extraRecipients.kaz[1]"].ShouldBe(["'Boss <boss@corp.example>' is not an email address"]);
        (await ETagAsync("LowBalanceNotice")).ShouldBe(etag);
    }

    [Fact]
    public async Task Every_field_of_the_body_is_required()
    {
        var etag = await ETagAsync("LowBalanceNotice");
        using var response = await PutAsync("LowBalanceNotice", new { slugs = new Dictionary<string, string> { ["default"] = "low-balance" } }, etag);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        errors.EnumerateObject().Select(p => p.Name).ShouldBe(["enabled", "mode", "offset"], ignoreOrder: true);
    }

    [Fact]
    public async Task The_history_answers_in_the_settings_own_shape_also_for_versions_stored_with_the_mode_as_a_number()
    {
        using (var change = await PutAsync("LowBalanceNotice", Body(), await ETagAsync("LowBalanceNotice")))
        {
            change.StatusCode.ShouldBe(HttpStatusCode.OK, await change.Content.ReadAsStringAsync());
        }

        // A version as the store wrote them before: the mode as the enum's number (1 is Shadow).
        await _host.WithDbAsync(async db =>
        {
            db.NoticeSettingsHistory.Add(new NoticeSettingsHistoryRecord
            {
                Kind = "LowBalanceNotice",
                Version = 1000,
                Settings = """{"enabled":false,"mode":1,"offset":"02:00:00","slugs":{"default":"low-balance"},"extraRecipients":{}}""",
                ChangedAt = DateTimeOffset.UnixEpoch,
                ChangedBy = "someone-long-ago",
            });
            return await db.SaveChangesAsync();
        });

        var history = JsonDocument.Parse(await _admin.GetStringAsync("/api/v1/settings/notices/LowBalanceNotice/history")).RootElement;

        var old = history.EnumerateArray().Single(v => v.GetProperty("version").GetInt32() == 1000).GetProperty("settings");
        old.GetProperty("mode").GetString().ShouldBe("Shadow");
        old.GetProperty("offset").GetString().ShouldBe("02:00:00");
        old.GetProperty("enabled").GetBoolean().ShouldBeFalse();
        var mine = history.EnumerateArray().Single(v => v.GetProperty("changedBy").GetString() == "test-admin").GetProperty("settings");
        mine.GetProperty("mode").GetString().ShouldBe("Shadow");
        mine.GetProperty("extraRecipients").GetProperty("default")[0].GetString().ShouldBe("team@corp.example");
        var current = await _admin.GetFromJsonAsync<JsonElement>("/api/v1/settings/notices/LowBalanceNotice");
        mine.GetProperty("mode").GetString().ShouldBe(current.GetProperty("mode").GetString(), "the history's shape is the settings' own");
        var stored = await _host.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstAsync(
            db.NoticeSettingsHistory.Where(h => h.Kind == "LowBalanceNotice" && h.ChangedBy == "test-admin")));
        stored.Settings.ShouldContain("\"mode\":\"Shadow\"");
    }

    [Fact]
    public async Task Every_notice_shows_its_send_window_and_cap_and_a_change_without_them_keeps_them()
    {
        var all = (await _admin.GetFromJsonAsync<List<NoticeSettingsView>>("/api/v1/settings/notices", Json))!;
        var low = all.Single(s => s.Kind == "LowBalanceNotice");
        low.Window.ShouldBe(new SendWindowView("09:00", "19:00", "off"));
        low.Cap.ShouldBe(new FrequencyCapView(1, "contract", TimeSpan.FromDays(1)));
        var remind = all.Single(s => s.Kind == "LimitIsOverRemindNotice");
        remind.Window.ShouldBe(new SendWindowView("09:00", "19:00", "businessDays"));
        remind.Cap.ShouldBeNull();

        using (var change = await PutAsync("LowBalanceNotice", Body(), await ETagAsync("LowBalanceNotice")))
        {
            change.StatusCode.ShouldBe(HttpStatusCode.OK, await change.Content.ReadAsStringAsync());
            var saved = (await change.Content.ReadFromJsonAsync<NoticeSettingsView>(Json))!;
            (saved.Window, saved.Cap).ShouldBe((low.Window, low.Cap), "a client that does not know windows and caps leaves them as they are");
        }

        var body = new
        {
            enabled = true,
            mode = "Live",
            offset = "00:00:00",
            slugs = new Dictionary<string, string> { ["default"] = "low-balance" },
            extraRecipients = new Dictionary<string, string[]>(),
            window = new { start = "08:30", end = "20:00", days = "anyDay" },
            cap = new { count = 3, per = "client", period = "7.00:00:00" },
        };
        using (var change = await PutAsync("LowBalanceNotice", body, await ETagAsync("LowBalanceNotice")))
        {
            change.StatusCode.ShouldBe(HttpStatusCode.OK, await change.Content.ReadAsStringAsync());
        }

        var json = await _admin.GetFromJsonAsync<JsonElement>("/api/v1/settings/notices/LowBalanceNotice");
        json.GetProperty("window").GetRawText().ShouldBe("""{"start":"08:30","end":"20:00","days":"anyDay"}""");
        json.GetProperty("cap").GetRawText().ShouldBe("""{"count":3,"per":"client","period":"7.00:00:00"}""");
        var history = await _admin.GetFromJsonAsync<List<SettingsHistoryEntry>>("/api/v1/settings/notices/LowBalanceNotice/history", Json);
        history![0].Settings!.Cap.ShouldBe(new FrequencyCapView(3, "client", TimeSpan.FromDays(7)));
        history[0].Settings!.Window.ShouldBe(new SendWindowView("08:30", "20:00", "anyDay"));
        var audit = await _admin.GetFromJsonAsync<AuditPage>("/api/v1/audit?action=settings.update", Json);
        audit!.Items[0].After!.Value.GetProperty("cap").GetProperty("per").GetString().ShouldBe("client");
    }

    [Theory]
    [InlineData("09:00", "08:00", "businessDays", 1, "contract", "1.00:00:00", "window.end")]
    [InlineData("09:00", "09:00", "businessDays", 1, "contract", "1.00:00:00", "window.end")]
    [InlineData("25:00", "19:00", "businessDays", 1, "contract", "1.00:00:00", "window.start")]
    [InlineData("09:00", "19:61", "businessDays", 1, "contract", "1.00:00:00", "window.end")]
    [InlineData("09:00", "19:00", "weekends", 1, "contract", "1.00:00:00", "window.days")]
    [InlineData("09:00", "19:00", "businessDays", 0, "contract", "1.00:00:00", "cap.count")]
    [InlineData("09:00", "19:00", "businessDays", -2, "contract", "1.00:00:00", "cap.count")]
    [InlineData("09:00", "19:00", "businessDays", 1, "planet", "1.00:00:00", "cap.per")]
    [InlineData("09:00", "19:00", "businessDays", 1, "contract", "00:00:00", "cap.period")]
    [InlineData("09:00", "19:00", "businessDays", 1, "contract", "-01:00:00", "cap.period")]
    public async Task A_bad_window_or_cap_is_refused_naming_its_field_and_changes_nothing(string start, string end, string days, int count, string per, string period, string field)
    {
        var etag = await ETagAsync("LowBalanceNotice");
        var body = new
        {
            enabled = true,
            mode = "Live",
            offset = "00:00:00",
            slugs = new Dictionary<string, string> { ["default"] = "low-balance" },
            extraRecipients = new Dictionary<string, string[]>(),
            window = new { start, end, days },
            cap = new { count, per, period },
        };
        using var response = await PutAsync("LowBalanceNotice", body, etag);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        errors.EnumerateObject().Select(p => p.Name).ShouldBe([field]);
        (await ETagAsync("LowBalanceNotice")).ShouldBe(etag);
    }

    private async Task<string> ETagAsync(string kind)
    {
        using var response = await _admin.GetAsync($"/api/v1/settings/notices/{kind}");
        return response.Headers.ETag!.Tag;
    }

    private async Task<HttpResponseMessage> PutAsync(string kind, object body, string? ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/settings/notices/{kind}") { Content = JsonContent.Create(body) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return await _admin.SendAsync(request);
    }
}
