using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CorpNotifier.Admin;
using CorpNotifier.Auth;
using CorpNotifier.Suppressions;
using Microsoft.EntityFrameworkCore;

namespace CorpNotifier.Tests.Suppressions;

/// <summary>The list's admin API: viewers read, admins add and remove, every change audited, bad input refused with problem details.</summary>
public sealed class SuppressionsApiTests(SuppressionHost fixture) : IClassFixture<SuppressionHost>
{
    private static async Task<SuppressionView> AddAsync(HttpClient admin, string address, string clientId, string note = "asked by phone")
    {
        using var response = await admin.PostAsJsonAsync("/api/v1/suppressions", new { address, note, clientId });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<SuppressionView>())!;
    }

    [Fact]
    public async Task An_admins_entry_is_stored_in_lower_case_listed_by_exact_address_in_any_case_and_audited()
    {
        using var admin = fixture.Host.Client(Roles.Admin);
        var entry = await AddAsync(admin, " Ops@Api1.example ", "api-1");
        entry.Address.ShouldBe("ops@api1.example");
        entry.Reason.ShouldBe(SuppressionReasons.Operator);
        entry.CreatedBy.ShouldBe("test-admin");

        using var viewer = fixture.Host.Client(Roles.Viewer);
        var page = (await viewer.GetFromJsonAsync<SuppressionPage>("/api/v1/suppressions?address=OPS%40API1.EXAMPLE"))!;
        page.Items.ShouldHaveSingleItem().Id.ShouldBe(entry.Id);
        (await viewer.GetFromJsonAsync<SuppressionPage>("/api/v1/suppressions?clientId=api-1"))!.Items.ShouldHaveSingleItem();

        var audit = await fixture.Host.WithDbAsync(db => db.Audit.AsNoTracking().Where(a => a.TargetType == SuppressionAudit.Target && a.TargetId == entry.Id.ToString()).ToListAsync());
        var record = audit.ShouldHaveSingleItem();
        record.Action.ShouldBe(SuppressionAudit.Add);
        record.Actor.ShouldBe("test-admin");
        record.Before.ShouldBeNull();
        record.After!.ShouldContain("asked by phone");
    }

    [Fact]
    public async Task Removing_an_entry_deletes_it_and_audits_what_it_was()
    {
        using var admin = fixture.Host.Client(Roles.Admin);
        var entry = await AddAsync(admin, "gone@api2.example", "api-2");

        using var removed = await admin.DeleteAsync($"/api/v1/suppressions/{entry.Id}");
        removed.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var again = await admin.DeleteAsync($"/api/v1/suppressions/{entry.Id}");
        again.StatusCode.ShouldBe(HttpStatusCode.NotFound);

        (await fixture.Host.WithDbAsync(db => db.Suppressions.AnyAsync(s => s.Id == entry.Id))).ShouldBeFalse();
        var audit = await fixture.Host.WithDbAsync(db => db.Audit.AsNoTracking().Where(a => a.Action == SuppressionAudit.Remove && a.TargetId == entry.Id.ToString()).ToListAsync());
        audit.ShouldHaveSingleItem().Before!.ShouldContain("gone@api2.example");
    }

    [Fact]
    public async Task An_address_on_the_list_already_is_refused_as_a_conflict_in_any_case()
    {
        using var admin = fixture.Host.Client(Roles.Admin);
        var entry = await AddAsync(admin, "twice@api3.example", "api-3");

        using var response = await admin.PostAsJsonAsync("/api/v1/suppressions", new { address = "TWICE@api3.example", note = "again" });
        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("detail").GetString()!.ShouldContain($"entry {entry.Id}");
    }

    [Theory]
    [InlineData("not-an-address", "a note", "address")]
    [InlineData("Boss <boss@api4.example>", "a note", "address")]
    [InlineData("ok@api4.example", "", "note")]
    public async Task Bad_input_is_refused_with_a_validation_problem_naming_the_field_and_changes_nothing(string address, string note, string field)
    {
        using var admin = fixture.Host.Client(Roles.Admin);
        var before = await fixture.Host.WithDbAsync(db => db.Audit.CountAsync());

        using var response = await admin.PostAsJsonAsync("/api/v1/suppressions", new { address, note });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue();
        (await fixture.Host.WithDbAsync(db => db.Audit.CountAsync())).ShouldBe(before);
    }

    [Theory]
    [InlineData(Roles.Viewer)]
    [InlineData(Roles.Operator)]
    public async Task Only_admins_may_add_or_remove(string role)
    {
        using var admin = fixture.Host.Client(Roles.Admin);
        var entry = await AddAsync(admin, $"{role}@api5.example", "api-5");
        using var other = fixture.Host.Client(role);

        using var add = await other.PostAsJsonAsync("/api/v1/suppressions", new { address = $"new-{role}@api5.example", note = "n" });
        using var remove = await other.DeleteAsync($"/api/v1/suppressions/{entry.Id}");

        add.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        remove.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await fixture.Host.WithDbAsync(db => db.Suppressions.AnyAsync(s => s.Id == entry.Id))).ShouldBeTrue();
    }

    [Fact]
    public async Task The_list_pages_newest_first_and_refuses_an_unknown_reason()
    {
        using var admin = fixture.Host.Client(Roles.Admin);
        var first = await AddAsync(admin, "a@api6.example", "api-6");
        var second = await AddAsync(admin, "b@api6.example", "api-6");

        var page = (await admin.GetFromJsonAsync<SuppressionPage>("/api/v1/suppressions?clientId=api-6&limit=1"))!;
        page.Items.ShouldHaveSingleItem().Id.ShouldBe(second.Id);
        var next = (await admin.GetFromJsonAsync<SuppressionPage>($"/api/v1/suppressions?clientId=api-6&limit=1&beforeId={page.NextBeforeId}"))!;
        next.Items.ShouldHaveSingleItem().Id.ShouldBe(first.Id);

        using var bad = await admin.GetAsync("/api/v1/suppressions?reason=bored");
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }
}
