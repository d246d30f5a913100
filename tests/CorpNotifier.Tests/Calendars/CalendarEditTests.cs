using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CorpNotifier.Admin;
using CorpNotifier.Auth;
using CorpNotifier.Calendars;
using CorpNotifier.Contracts;
using CorpNotifier.Tests.Integration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace CorpNotifier.Tests.Calendars;

/// <summary>
/// Business calendars admins edit at runtime: the API reads every country's calendar, changes a year only
/// on top of the version it read (ETag / If-Match) and by its rules (a 400 naming the field, nothing
/// changed), imports a year as a file, audits each change, re-plans the pending letters of the country
/// edited (and no other's), and every instance sees the change.
/// </summary>
public sealed class CalendarEditTests
{
    private static readonly Dictionary<string, string?> WithWindows = new() { ["SendWindows:Enabled"] = "true" };
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task Viewers_read_every_calendar_and_a_year_as_in_force_with_its_version_as_the_ETag()
    {
        using var host = new TestHost();
        using var viewer = host.Client(Roles.Viewer);

        var countries = (await viewer.GetFromJsonAsync<List<CalendarCountryView>>("/api/v1/calendars", Web))!;
        var rus = countries.Single(c => c.Country == "rus");
        rus.Kind.ShouldBe("data");
        rus.Years.ShouldContain(2027);
        rus.EditedYears.ShouldBeEmpty();
        countries.Single(c => c.Country == "deu").Kind.ShouldBe("library");

        using var year = await viewer.GetAsync("/api/v1/calendars/rus/2027");
        year.StatusCode.ShouldBe(HttpStatusCode.OK);
        year.Headers.ETag!.Tag.ShouldBe("\"0\"");
        var view = (await year.Content.ReadFromJsonAsync<CalendarYearView>(Web))!;
        (view.Origin, view.Version).ShouldBe(("shipped", 0));
        view.DaysOff.ShouldContain(d => d.Date == new DateOnly(2027, 1, 1));

        var germany = (await viewer.GetFromJsonAsync<CalendarYearView>("/api/v1/calendars/deu/2027", Web))!;
        germany.Origin.ShouldBe("library");
        germany.DaysOff.ShouldContain(d => d.Date == new DateOnly(2027, 1, 1), "New Year's Day, a Friday, from the PublicHoliday package");
        (await viewer.GetFromJsonAsync<CalendarYearView>("/api/v1/calendars/atl/2027", Web))!.Origin.ShouldBe("weekdays");

        (await viewer.GetAsync("/api/v1/calendars/r1s/2027")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await viewer.GetAsync("/api/v1/calendars/rus/1800")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_edit_needs_the_version_it_was_made_on_and_a_valid_year_else_nothing_changes()
    {
        using var host = new TestHost();
        using var admin = host.Client(Roles.Admin);
        using var operatorClient = host.Client(Roles.Operator);
        var valid = Body("Test decree No. 1 of 2026", off: [("2027-12-01", "a day off by test decree")], working: []);

        using (var noIfMatch = await admin.PutAsJsonAsync("/api/v1/calendars/rus/2027", valid))
        {
            noIfMatch.StatusCode.ShouldBe((HttpStatusCode)428);
        }

        using (var notAdmin = await PutAsync(operatorClient, "/api/v1/calendars/rus/2027", valid, "\"0\""))
        {
            notAdmin.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        }

        await ShouldNameAsync(admin, "rus/2027", Body("decree", off: [("2028-01-03", null)], working: []), "daysOff[0]", "outside the calendar's year");
        await ShouldNameAsync(admin, "rus/2027", Body("decree", off: [("2027-12-01", null)], working: [("2027-12-01", null)]), "workingDays[0]", "either off or working");
        await ShouldNameAsync(admin, "rus/2027", Body("decree", off: [("2027-02-30", null)], working: []), "daysOff[0]", "not a date");
        await ShouldNameAsync(admin, "rus/2027", Body("decree", off: [("1 December", null)], working: []), "daysOff[0]", "not a date");
        await ShouldNameAsync(admin, "r1s/2027", valid, "country", "alpha-3");
        await ShouldNameAsync(admin, "rus/2027", Body(" ", off: [], working: []), "source", "required");
        await NothingChangedAsync(host, admin);

        using (var saved = await PutAsync(admin, "/api/v1/calendars/rus/2027", valid, "\"0\"", reason: "the decree came out"))
        {
            saved.StatusCode.ShouldBe(HttpStatusCode.OK, await saved.Content.ReadAsStringAsync());
            saved.Headers.ETag!.Tag.ShouldBe("\"1\"");
            var answer = JsonDocument.Parse(await saved.Content.ReadAsStringAsync()).RootElement;
            answer.GetProperty("year").GetProperty("origin").GetString().ShouldBe("edited");
            answer.GetProperty("year").GetProperty("updatedBy").GetString().ShouldBe("test-admin");
            answer.GetProperty("replanned").GetInt32().ShouldBe(0);
        }

        using (var stale = await PutAsync(admin, "/api/v1/calendars/rus/2027", Body("another", off: [], working: []), "\"0\""))
        {
            stale.StatusCode.ShouldBe(HttpStatusCode.PreconditionFailed);
        }

        var year = (await admin.GetFromJsonAsync<CalendarYearView>("/api/v1/calendars/rus/2027", Web))!;
        (year.Version, year.Source, year.Origin).ShouldBe((1, "Test decree No. 1 of 2026", "edited"));
        year.DaysOff.ShouldBe([new CalendarDayView(new DateOnly(2027, 12, 1), "a day off by test decree")]);
        host.Services.GetRequiredService<BusinessCalendars>().For("rus").IsBusinessDay(new LocalDate(2027, 12, 1)).ShouldBeFalse("the saving instance applies it at once");
        host.Services.GetRequiredService<BusinessCalendars>().For("rus").IsBusinessDay(new LocalDate(2027, 1, 4)).ShouldBeTrue("the edited year is the whole year");

        var audit = await host.WithDbAsync(db => db.Audit.AsNoTracking().Where(a => a.TargetType == "calendar").ToListAsync());
        var record = audit.ShouldHaveSingleItem();
        (record.Action, record.TargetId, record.Actor).ShouldBe(("calendar.update", "rus 2027", "test-admin"));
        JsonDocument.Parse(record.Before!).RootElement.GetProperty("origin").GetString().ShouldBe("shipped");
        JsonDocument.Parse(record.After!).RootElement.GetProperty("reason").GetString().ShouldBe("the decree came out");

        var rus = (await admin.GetFromJsonAsync<List<CalendarCountryView>>("/api/v1/calendars", Web))!.Single(c => c.Country == "rus");
        rus.EditedYears.ShouldBe([2027]);
    }

    [Fact]
    public async Task An_edit_making_a_day_off_moves_the_pending_letter_of_that_country_and_not_another_countrys()
    {
        using var host = new TestHost(WithWindows);
        // Monday 7 December 2026, 02:30 Moscow: three days later, Thursday 10 December 09:00 Moscow (06:00 UTC);
        // the Almaty client's letter is due Thursday 09:00 Almaty (04:00 UTC).
        host.Clock.SetTo(At(2026, 12, 6, 23, 30));
        var moscow = await ActivateAsync(host, "client-rus", "Europe/Moscow", "rus");
        var almaty = await ActivateAsync(host, "client-kaz", "Asia/Almaty", "kaz");
        moscow.SendAt.ShouldBe(At(2026, 12, 10, 6, 0));
        moscow.Country.ShouldBe("rus");
        // The test's clock runs on while the events are posted: the event happened a moment after 02:30.
        moscow.PlannedAt!.Value.ShouldBe(At(2026, 12, 9, 23, 30), TimeSpan.FromMinutes(1), "the moment its delay gave, before the window");
        almaty.SendAt.ShouldBe(At(2026, 12, 10, 4, 0));

        var replanned = await EditAsync(host, "rus", 2026, year => year with { DaysOff = [.. year.DaysOff!, new CalendarDayBody("2026-12-10", "a day off by test decree")] });

        replanned.ShouldBe(1);
        var moved = await NoticeAsync(host, moscow.Id);
        moved.SendAt.ShouldBe(At(2026, 12, 11, 6, 0), "Friday 09:00 Moscow");
        moved.Status.ShouldBe(NoticeStatus.Pending);
        moved.Timeline.Last().Detail.ShouldBe("re-planned after the calendar of rus 2026 was edited: 2026-12-11 09:00 Europe/Moscow");
        (await NoticeAsync(host, almaty.Id)).SendAt.ShouldBe(At(2026, 12, 10, 4, 0), "another country's letter stays");
    }

    [Fact]
    public async Task A_letter_stored_before_letters_kept_their_country_and_planned_moment_is_re_planned_from_its_send_moment()
    {
        using var host = new TestHost(WithWindows);
        host.Clock.SetTo(At(2026, 12, 6, 23, 30));
        var letter = await ActivateAsync(host, "client-rus", "Europe/Moscow", "rus");
        await host.WithDbAsync(db => db.Notices.Where(n => n.Id == letter.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.Country, (string?)null).SetProperty(n => n.PlannedAt, (DateTimeOffset?)null)));

        var replanned = await EditAsync(host, "rus", 2026, year => year with { DaysOff = [.. year.DaysOff!, new CalendarDayBody("2026-12-10", "a day off by test decree")] });

        replanned.ShouldBeGreaterThanOrEqualTo(1);
        (await NoticeAsync(host, letter.Id)).SendAt.ShouldBe(At(2026, 12, 11, 6, 0), "from Thursday 09:00 to Friday 09:00 Moscow");
    }

    [Fact]
    public async Task An_edit_making_a_Saturday_working_moves_a_letter_planned_for_Monday_back_to_that_Saturdays_opening()
    {
        using var host = new TestHost(WithWindows);
        // Wednesday 9 December 2026, 02:30 Moscow: three days later is Saturday 12 December, so Monday 14 December 09:00.
        host.Clock.SetTo(At(2026, 12, 8, 23, 30));
        var letter = await ActivateAsync(host, "client-rus", "Europe/Moscow", "rus");
        letter.SendAt.ShouldBe(At(2026, 12, 14, 6, 0));

        var replanned = await EditAsync(host, "rus", 2026, year => year with { WorkingDays = [.. year.WorkingDays!, new CalendarDayBody("2026-12-12", "a working Saturday by test decree")] });

        replanned.ShouldBe(1);
        var moved = await NoticeAsync(host, letter.Id);
        moved.SendAt.ShouldBe(At(2026, 12, 12, 6, 0), "Saturday 09:00 Moscow");
        moved.Timeline.Last().Detail.ShouldBe("re-planned after the calendar of rus 2026 was edited: 2026-12-12 09:00 Europe/Moscow");

        // The service's simulation plans on the edited calendar too.
        var simulated = await SimulateActivationAsync(host, "Europe/Moscow", "rus");
        simulated.Single(l => l.Kind == "PostpaidFirstTakeARideNotice").SendAt.ShouldBe(At(2026, 12, 12, 6, 0));

        // And it goes then.
        host.Clock.Advance(At(2026, 12, 12, 6, 0, 1) - host.Clock.GetUtcNow());
        await Eventually.MatchAsync(() => NoticeAsync(host, letter.Id), n => n.Status == NoticeStatus.Sent, "the letter to go that Saturday");
    }

    [Fact]
    public async Task The_staffs_letters_follow_an_edit_of_the_staff_country_whatever_country_they_are_about()
    {
        using var host = new TestHost(new Dictionary<string, string?>
        {
            ["SendWindows:Enabled"] = "true",
            ["Notices:ClientRequestCreatedNotice:Window:Days"] = "BusinessDays",
        });
        // Saturday 12 December 2026, 10:00 Moscow: the moderators' letter about a Kazakh request waits for Monday 09:00 Moscow.
        host.Clock.SetTo(At(2026, 12, 12, 7, 0));
        await host.PostAndWaitAsync(host.Events.Profile("client-kaz", ["finance@acme.example"], eventId: "profile", at: host.Clock.GetUtcNow()) with { TimeZone = "Asia/Almaty", Country = "kaz" });
        await host.PostAndWaitAsync(host.Events.RequestCreated("client-kaz", country: "kaz", eventId: "request", at: host.Clock.GetUtcNow()));
        var letter = (await host.NoticesAsync("client-kaz")).Single(n => n.Kind == "ClientRequestCreatedNotice");
        letter.SendAt.ShouldBe(At(2026, 12, 14, 6, 0));

        (await EditAsync(host, "kaz", 2026, year => year with { WorkingDays = [.. year.WorkingDays!, new CalendarDayBody("2026-12-12", "a working Saturday by test decree")] }))
            .ShouldBe(0, "the staff's letters are timed by the staff's country, rus");
        var replanned = await EditAsync(host, "rus", 2026, year => year with { WorkingDays = [.. year.WorkingDays!, new CalendarDayBody("2026-12-12", "a working Saturday by test decree")] });

        replanned.ShouldBe(1);
        var moved = await NoticeAsync(host, letter.Id);
        moved.SendAt.ShouldBe(At(2026, 12, 12, 7, 0), TimeSpan.FromMinutes(1), "now: that Saturday is a working day and its window is open");
        // "…: 2026-12-12 10:00 Europe/Moscow", give or take the seconds the test's clock ran on.
        moved.Timeline.ShouldContain(t => t.Detail!.StartsWith("re-planned after the calendar of rus 2026 was edited: 2026-12-12 10:", StringComparison.Ordinal)
            && t.Detail.EndsWith(" Europe/Moscow", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_year_imported_as_a_file_in_the_shipped_format_replaces_that_year_whatever_its_version()
    {
        using var host = new TestHost();
        using var admin = host.Client(Roles.Admin);
        var shipped = CountryCalendarFile.Shipped().Single(c => c.Country == "kaz" && c.Year == 2027);
        var file = CountryCalendarFile.Write(shipped with { Country = "geo", Source = "Labour Code of Georgia, Article 20 (test copy)" });

        using (var viewerImport = await host.Client(Roles.Viewer).PostAsync("/api/v1/calendars/import", Json(file)))
        {
            viewerImport.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        }

        using (var broken = await admin.PostAsync("/api/v1/calendars/import", Json("{ \"country\": \"geo\", ")))
        {
            await ShouldBeInvalidAsync(broken, "file", "not a calendar file");
        }

        using (var outside = await admin.PostAsync("/api/v1/calendars/import", Json(file.Replace("\"2027-03-08\"", "\"2026-03-08\"", StringComparison.Ordinal))))
        {
            await ShouldBeInvalidAsync(outside, "daysOff[", "outside the calendar's year");
        }

        for (var version = 1; version <= 2; version++)
        {
            using var imported = await admin.PostAsync("/api/v1/calendars/import", Json(file));
            imported.StatusCode.ShouldBe(HttpStatusCode.OK, await imported.Content.ReadAsStringAsync());
            imported.Headers.ETag!.Tag.ShouldBe($"\"{version}\"");
        }

        var year = (await admin.GetFromJsonAsync<CalendarYearView>("/api/v1/calendars/geo/2027", Web))!;
        (year.Origin, year.Version).ShouldBe(("imported", 2));
        year.DaysOff.Count.ShouldBe(shipped.DaysOff.Count);
        var geo = (await admin.GetFromJsonAsync<List<CalendarCountryView>>("/api/v1/calendars", Web))!.Single(c => c.Country == "geo");
        (geo.Kind, geo.Source).ShouldBe(("data", "Labour Code of Georgia, Article 20 (test copy)"));
        geo.EditedYears.ShouldBe([2027]);
        (await host.WithDbAsync(db => db.Audit.CountAsync(a => a.Action == "calendar.import"))).ShouldBe(2);
    }

    [Fact]
    public async Task Another_instance_on_the_same_database_sees_an_edit_at_start_and_while_running()
    {
        using var first = new TestHost();
        var database = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Sqlite"] = $"Data Source={Path.Combine(first.Folder, "test.db")}",
            ["SendWindows:CalendarRefresh"] = "00:00:00.200",
        };
        _ = first.Services;
        using var running = new TestHost(database);
        var day = new LocalDate(2027, 12, 1);
        running.Services.GetRequiredService<BusinessCalendars>().For("rus").IsBusinessDay(day).ShouldBeTrue();

        await EditAsync(first, "rus", 2027, year => year with { DaysOff = [.. year.DaysOff!, new CalendarDayBody("2027-12-01", "a day off by test decree")] });

        await Eventually.MatchAsync(
            () => Task.FromResult(running.Services.GetRequiredService<BusinessCalendars>().For("rus").IsBusinessDay(day)),
            business => !business,
            "the running instance to put the edited year in place");
        using var started = new TestHost(database);
        started.Services.GetRequiredService<BusinessCalendars>().For("rus").IsBusinessDay(day).ShouldBeFalse("an instance started after the edit has it from the start");
    }

    [Fact]
    public async Task A_country_with_no_calendar_is_Monday_to_Friday_said_once_and_listed_with_its_pending_letters()
    {
        using var host = new TestHost(WithWindows);
        host.Clock.SetTo(At(2026, 12, 6, 23, 30));
        await ActivateAsync(host, "client-atl", "Europe/Moscow", "atl");
        await ActivateAsync(host, "client-atl-2", "Europe/Moscow", "atl");

        host.Logs.Entries.Count(e => e.Message.StartsWith("Country atl has no business calendar", StringComparison.Ordinal)).ShouldBe(1);
        var pending = await host.WithDbAsync(db => db.Notices.CountAsync(n => n.Status == NoticeStatus.Pending && n.ClientId!.StartsWith("client-atl")));
        pending.ShouldBeGreaterThanOrEqualTo(2);
        using var viewer = host.Client(Roles.Viewer);
        var countries = (await viewer.GetFromJsonAsync<List<CalendarCountryView>>("/api/v1/calendars", Web))!;
        var atl = countries.Single(c => c.Country == "atl");
        (atl.Kind, atl.PendingLetters).ShouldBe(("weekdays", pending));
        await using var scope = host.Services.CreateAsyncScope();
        var unknown = await scope.ServiceProvider.GetRequiredService<CalendarQueries>().UnknownCountriesAsync(CancellationToken.None);
        unknown.ShouldBe([new UnknownCountryView("atl", pending)]);
    }

    private static DateTimeOffset At(int year, int month, int day, int hour, int minute, int second = 0) => new(year, month, day, hour, minute, second, TimeSpan.Zero);

    private static CalendarYearBody Body(string source, (string Date, string? Note)[] off, (string Date, string? Note)[] working) =>
        new(source, [.. off.Select(d => new CalendarDayBody(d.Date, d.Note))], [.. working.Select(d => new CalendarDayBody(d.Date, d.Note))]);

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    private static async Task<HttpResponseMessage> PutAsync(HttpClient client, string path, CalendarYearBody body, string etag, string? reason = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = JsonContent.Create(body, options: Web) };
        request.Headers.TryAddWithoutValidation("If-Match", etag);
        if (reason is not null)
        {
            request.Headers.Add(CalendarsApi.ReasonHeader, reason);
        }

        return await client.SendAsync(request);
    }

    private static async Task ShouldNameAsync(HttpClient admin, string path, CalendarYearBody body, string key, string says)
    {
        using var response = await PutAsync(admin, $"/api/v1/calendars/{path}", body, "\"0\"");
        await ShouldBeInvalidAsync(response, key, says);
    }

    private static async Task ShouldBeInvalidAsync(HttpResponseMessage response, string key, string says)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, text);
        var errors = JsonDocument.Parse(text).RootElement.GetProperty("errors");
        var named = errors.EnumerateObject().Where(e => e.Name.StartsWith(key, StringComparison.Ordinal)).ToList();
        named.ShouldNotBeEmpty($"an error naming {key}: {text}");
        named.SelectMany(e => e.Value.EnumerateArray()).ShouldContain(m => m.GetString()!.Contains(says, StringComparison.Ordinal), text);
    }

    private static async Task NothingChangedAsync(TestHost host, HttpClient admin)
    {
        using var year = await admin.GetAsync("/api/v1/calendars/rus/2027");
        year.Headers.ETag!.Tag.ShouldBe("\"0\"", "nothing was saved");
        (await host.WithDbAsync(db => db.CalendarYears.CountAsync())).ShouldBe(0);
        (await host.WithDbAsync(db => db.Audit.CountAsync())).ShouldBe(0);
        host.Services.GetRequiredService<BusinessCalendars>().For("rus").IsBusinessDay(new LocalDate(2027, 12, 1)).ShouldBeTrue();
    }

    /// <summary>An admin's edit of a year as in force, on top of its current version; how many letters moved.</summary>
    private static async Task<int> EditAsync(TestHost host, string country, int year, Func<CalendarYearBody, CalendarYearBody> change)
    {
        using var admin = host.Client(Roles.Admin);
        using var current = await admin.GetAsync($"/api/v1/calendars/{country}/{year}");
        var view = (await current.Content.ReadFromJsonAsync<CalendarYearView>(Web))!;
        var body = change(new CalendarYearBody(
            view.Source,
            [.. view.DaysOff.Select(d => new CalendarDayBody(d.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), d.Note))],
            [.. view.WorkingDays.Select(d => new CalendarDayBody(d.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), d.Note))]));
        using var saved = await PutAsync(admin, $"/api/v1/calendars/{country}/{year}", body, current.Headers.ETag!.Tag);
        var text = await saved.Content.ReadAsStringAsync();
        saved.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("replanned").GetInt32();
    }

    /// <summary>A postpaid contract activated now for a client of that zone and country: its first take-a-ride letter.</summary>
    private static async Task<Notice> ActivateAsync(TestHost host, string clientId, string zone, string country)
    {
        var at = host.Clock.GetUtcNow();
        await host.PostAndWaitAsync(host.Events.Profile(clientId, ["finance@acme.example"], eventId: $"profile-{clientId}", at: at) with { TimeZone = zone, Country = country });
        var inactive = new ContractState { PaymentType = PaymentTypes.Postpaid, Services = ["taxi"] };
        await host.PostAndWaitAsync(host.Events.Contract(clientId, inactive, inactive with { IsActive = true }, eventId: $"activation-{clientId}", at: at));
        return (await host.NoticesAsync(clientId)).Single(n => n.Kind == "PostpaidFirstTakeARideNotice");
    }

    private static Task<Notice> NoticeAsync(TestHost host, long id) =>
        host.WithDbAsync(db => db.Notices.AsNoTracking().Include(n => n.Timeline.OrderBy(t => t.Id)).SingleAsync(n => n.Id == id));

    /// <summary>What <c>POST /api/v1/simulate</c> plans for a postpaid taxi contract activated now, for a client in that zone and country.</summary>
    private static async Task<IReadOnlyList<SimulatedLetter>> SimulateActivationAsync(TestHost host, string zone, string country)
    {
        var inactive = new ContractState { PaymentType = PaymentTypes.Postpaid, Services = ["taxi"] };
        var activation = host.Events.Contract("client-simulated", inactive, inactive with { IsActive = true }, eventId: "simulated-activation", at: host.Clock.GetUtcNow());
        using var viewer = host.Client(Roles.Viewer);
        using var response = await viewer.PostAsJsonAsync("/api/v1/simulate", new
        {
            client = new { name = "Acme LLC", country, locale = "ru", timeZone = zone, emails = new[] { "finance@acme.example" } },
            events = new[] { JsonSerializer.SerializeToElement(EventEnvelopeReader.Write(activation)) },
        });
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<SimulationResult>(Web))!.Letters;
    }
}
