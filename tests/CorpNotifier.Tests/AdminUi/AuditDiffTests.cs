using System.Text.Json;
using CorpNotifier.AdminUi;

namespace CorpNotifier.Tests.AdminUi;

/// <summary>The audit page shows what an action changed: the fields that differ, before and after.</summary>
public sealed class AuditDiffTests
{
    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    [Fact]
    public void Only_the_fields_that_differ_are_shown_without_the_update_stamp()
    {
        var before = Json("""{"id":3,"status":"pending","reason":null,"dequeuedBy":null,"attempts":0,"updatedAt":"2026-11-26T10:00:00Z"}""");
        var after = Json("""{"id":3,"status":"dequeued","reason":"cancelled by ops","dequeuedBy":"ops","attempts":0,"updatedAt":"2026-11-26T11:00:00Z"}""");

        AuditDiff.Changes(before, after).ShouldBe(
        [
            new FieldChange("status", "pending", "dequeued"),
            new FieldChange("reason", null, "cancelled by ops"),
            new FieldChange("dequeuedBy", null, "ops"),
        ]);
    }

    [Fact]
    public void Nested_objects_are_compared_field_by_field_and_lists_as_a_whole()
    {
        var before = Json("""{"mode":"Live","slugs":{"default":"low-balance","kaz":"low-kz"},"extraRecipients":{}}""");
        var after = Json("""{"mode":"Live","slugs":{"default":"low-balance"},"extraRecipients":{"default":["a@corp.example","b@corp.example"]}}""");

        AuditDiff.Changes(before, after).ShouldBe(
        [
            new FieldChange("extraRecipients.default", null, "[a@corp.example, b@corp.example]"),
            new FieldChange("slugs.kaz", "low-kz", null),
        ]);
    }

    [Fact]
    public void A_created_target_shows_its_set_fields_only()
    {
        var after = Json("""{"id":7,"kind":"LowBalanceNotice","sentAt":null,"enabled":true,"offset":1.5}""");

        AuditDiff.Changes(null, after).ShouldBe(
        [
            new FieldChange("id", null, "7"),
            new FieldChange("kind", null, "LowBalanceNotice"),
            new FieldChange("enabled", null, "true"),
            new FieldChange("offset", null, "1.5"),
        ]);
    }

    [Fact]
    public void Long_values_are_shortened()
    {
        var change = AuditDiff.Changes(Json("""{"reason":"short"}"""), Json($$"""{"reason":"{{new string('x', 200)}}"}""")).ShouldHaveSingleItem();

        change.After!.Length.ShouldBe(AuditDiff.MaxValueLength);
        change.After.ShouldEndWith("…");
    }

    [Fact]
    public void Nothing_changed_is_an_empty_list()
    {
        AuditDiff.Changes(Json("""{"a":1,"updatedAt":"x"}"""), Json("""{"a":1,"updatedAt":"y"}""")).ShouldBeEmpty();
        AuditDiff.Changes(null, null).ShouldBeEmpty();
    }

    [Theory]
    [InlineData(null, null, null)]
    [InlineData("  ", null, null)]
    [InlineData("notice", "notice", null)]
    [InlineData("Settings", "settings", null)]
    [InlineData("notice:42", "notice", "42")]
    [InlineData("settings: LowBalanceNotice ", "settings", "LowBalanceNotice")]
    [InlineData("notice:", "notice", null)]
    [InlineData("42", null, "42")]
    [InlineData("LowBalanceNotice", null, "LowBalanceNotice")]
    public void The_target_box_reads_a_type_an_id_or_both(string? text, string? type, string? id) =>
        AuditDiff.ParseTarget(text).ShouldBe((type, id));

    [Fact]
    public void Letters_and_settings_link_to_their_pages()
    {
        AuditDiff.TargetLink("notice", "42").ShouldBe("/admin/letters/42");
        AuditDiff.TargetLink("notice", "../x").ShouldBeNull();
        AuditDiff.TargetLink("settings", "LowBalanceNotice").ShouldBe("/admin/settings/LowBalanceNotice");
        AuditDiff.TargetLink("settings", "a/b").ShouldBe("/admin/settings/a%2Fb");
        AuditDiff.TargetLink("other", "1").ShouldBeNull();
    }
}
