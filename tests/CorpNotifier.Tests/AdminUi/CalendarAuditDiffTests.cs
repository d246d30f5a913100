using System.Text.Json;
using CorpNotifier.AdminUi;

namespace CorpNotifier.Tests.AdminUi;

/// <summary>The audit page shows a calendar year's change day by day, and links the year's page.</summary>
public sealed class CalendarAuditDiffTests
{
    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    [Fact]
    public void A_day_added_to_a_calendar_year_shows_alone_with_its_note_and_a_note_changed_shows_before_and_after()
    {
        var before = Json("""{"country":"rus","year":2027,"daysOff":[{"date":"2027-01-01","note":"New Year"},{"date":"2027-02-23","note":"Defender"}],"workingDays":[],"version":1}""");
        var after = Json("""{"country":"rus","year":2027,"daysOff":[{"date":"2027-01-01","note":"New Year holidays"},{"date":"2027-02-23","note":"Defender"},{"date":"2027-03-15","note":null}],"workingDays":[],"version":2}""");

        AuditDiff.Changes(before, after).ShouldBe(
        [
            new FieldChange("daysOff.2027-01-01", "New Year", "New Year holidays"),
            new FieldChange("daysOff.2027-03-15", null, "2027-03-15"),
            new FieldChange("version", "1", "2"),
        ]);
    }

    [Fact]
    public void A_calendar_target_links_its_year_and_is_a_target_type_of_its_own()
    {
        AuditDiff.TargetLink("calendar", "rus 2027").ShouldBe("/admin/calendars/rus/2027");
        AuditDiff.ParseTarget("calendar:rus 2027").ShouldBe(("calendar", "rus 2027"));
    }
}
