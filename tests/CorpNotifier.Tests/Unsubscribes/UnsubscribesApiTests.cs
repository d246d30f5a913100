using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CorpNotifier.Admin;
using CorpNotifier.Persistence;
using CorpNotifier.Tests.Integration;
using CorpNotifier.Unsubscribes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CorpNotifier.Tests.Unsubscribes;

/// <summary>Operators see unsubscribes; admins set and unset them, audited; a client's erasure deletes them.</summary>
public sealed class UnsubscribesApiTests
{
    private static readonly object Change = new { address = "Billing@Acme.example", category = "reminders", clientId = "client-42", reason = "asked by phone" };

    [Fact]
    public async Task An_admin_unsubscribes_and_resubscribes_an_address_idempotently_and_each_change_is_audited()
    {
        using var host = new TestHost();
        using var admin = host.Client(CorpNotifier.Auth.Roles.Admin);

        using (var set = await admin.PutAsJsonAsync("/api/v1/unsubscribes", Change))
        {
            set.StatusCode.ShouldBe(HttpStatusCode.OK, await set.Content.ReadAsStringAsync());
            var body = await set.Content.ReadFromJsonAsync<JsonElement>();
            body.GetProperty("changed").GetBoolean().ShouldBeTrue();
            body.GetProperty("unsubscribe").GetProperty("via").GetString().ShouldBe(UnsubscribeVia.Operator);
        }

        using (var again = await admin.PutAsJsonAsync("/api/v1/unsubscribes", Change))
        {
            (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("changed").GetBoolean().ShouldBeFalse();
        }

        using var viewer = host.Client(CorpNotifier.Auth.Roles.Viewer);
        var listed = await viewer.GetFromJsonAsync<JsonElement>("/api/v1/unsubscribes?address=billing@acme.example");
        listed.GetArrayLength().ShouldBe(1);
        listed[0].GetProperty("category").GetString().ShouldBe("reminders");
        (await viewer.GetFromJsonAsync<JsonElement>("/api/v1/unsubscribes?clientId=client-42")).GetArrayLength().ShouldBe(1);

        using (var unset = await admin.PostAsJsonAsync("/api/v1/unsubscribes/resubscribe", Change))
        {
            (await unset.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("changed").GetBoolean().ShouldBeTrue();
        }

        (await host.WithDbAsync(db => db.Unsubscribes.CountAsync())).ShouldBe(0);
        var audit = await host.WithDbAsync(db => db.Audit.AsNoTracking().Where(a => a.TargetType == UnsubscribeAudit.Target).OrderBy(a => a.Id).ToListAsync());
        audit.Select(a => a.Action).ShouldBe([UnsubscribeAudit.Unsubscribe, UnsubscribeAudit.Resubscribe]);
        audit[0].TargetId.ShouldBe("b***@acme.example reminders");
        audit[0].After!.ShouldContain("asked by phone");
    }

    [Fact]
    public async Task A_viewer_or_operator_may_read_but_not_change_and_a_mandatory_category_is_refused()
    {
        using var host = new TestHost();
        using var operatorClient = host.Client(CorpNotifier.Auth.Roles.Operator);
        using (var refused = await operatorClient.PutAsJsonAsync("/api/v1/unsubscribes", Change))
        {
            refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        }

        using var admin = host.Client(CorpNotifier.Auth.Roles.Admin);
        using (var mandatory = await admin.PutAsJsonAsync("/api/v1/unsubscribes", new { address = "billing@acme.example", category = "money" }))
        {
            mandatory.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            (await mandatory.Content.ReadAsStringAsync()).ShouldContain("mandatory");
        }

        using (var bad = await admin.PutAsJsonAsync("/api/v1/unsubscribes", new { address = "not an address", category = "reminders" }))
        {
            bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        }

        (await host.WithDbAsync(db => db.Unsubscribes.CountAsync())).ShouldBe(0);
        (await host.WithDbAsync(db => db.Audit.CountAsync(a => a.TargetType == UnsubscribeAudit.Target))).ShouldBe(0);
    }

    [Fact]
    public async Task A_client_s_erasure_deletes_its_unsubscribes_and_those_of_its_addresses()
    {
        using var host = new TestHost();
        await host.WithDbAsync(async db =>
        {
            db.Unsubscribes.Add(new Unsubscribe { Address = "billing@acme.example", Category = "reminders", Via = UnsubscribeVia.OneClick, ClientId = "client-42" });
            db.Unsubscribes.Add(new Unsubscribe { Address = "boss@acme.example", Category = "onboarding", Via = UnsubscribeVia.Page });
            db.Unsubscribes.Add(new Unsubscribe { Address = "other@else.example", Category = "onboarding", Via = UnsubscribeVia.Page, ClientId = "client-7" });
            return await db.SaveChangesAsync();
        });

        await using (var scope = host.Services.CreateAsyncScope())
        {
            var eraser = scope.ServiceProvider.GetServices<IClientDataEraser>().OfType<UnsubscribeEraser>().Single();
            var erased = await eraser.EraseAsync(new ClientErasure("client-42", ["Boss@Acme.example"], "admin", "asked", host.Clock.GetUtcNow()), CancellationToken.None);
            erased.ShouldBe(2);
            await scope.ServiceProvider.GetRequiredService<CorpNotifier.Persistence.NoticesDbContext>().SaveChangesAsync();
        }

        (await host.WithDbAsync(db => db.Unsubscribes.Select(u => u.Address).ToListAsync())).ShouldBe(["other@else.example"]);
    }

    [Fact]
    public async Task The_console_lists_an_address_s_unsubscribes_to_a_viewer()
    {
        using var host = new TestHost();
        await host.WithDbAsync(async db =>
        {
            db.Unsubscribes.Add(new Unsubscribe { Address = "billing@acme.example", Category = "reminders", Via = UnsubscribeVia.OneClick, ClientId = "client-42", NoticeId = 7, Kind = "FirstRemindPrepaidNotice" });
            return await db.SaveChangesAsync();
        });
        using var browser = CorpNotifier.Tests.AdminUi.ConsoleBrowser.Open(host, "en");
        using (await CorpNotifier.Tests.AdminUi.ConsoleBrowser.SignInAsync(browser, TestHost.KeyOf(CorpNotifier.Auth.Roles.Viewer)))
        {
        }

        var page = await browser.GetStringAsync("/admin/unsubscribes?address=billing@acme.example");
        page.ShouldContain("href=\"/admin/unsubscribes\"");
        page.ShouldContain("billing@acme.example");
        page.ShouldContain("one click in the mail client");
        page.ShouldContain("href=\"/admin/letters/7\"");
    }
}
