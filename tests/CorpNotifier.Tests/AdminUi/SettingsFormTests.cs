using CorpNotifier.Admin;
using CorpNotifier.AdminUi;
using CorpNotifier.Rules;

namespace CorpNotifier.Tests.AdminUi;

/// <summary>The console's settings form: the textareas as settings and back, its errors, and the field-by-field comparison.</summary>
public sealed class SettingsFormTests
{
    private static readonly NoticeSettingsValidator Validator = new(NoticeCatalog.Discover());

    private static VersionedNoticeSettings Stored() => new(
        new EffectiveNoticeSettings(
            "LowBalanceNotice",
            true,
            NoticeMode.Shadow,
            TimeSpan.FromDays(3),
            new Dictionary<string, string> { ["kaz"] = "low-balance-kz", ["default"] = "low-balance" },
            new Dictionary<string, IReadOnlyList<string>> { ["rus"] = ["ru-team@corp.example", "billing@corp.example"], ["default"] = ["team@corp.example"] }),
        4,
        "api",
        DateTimeOffset.UnixEpoch,
        "someone");

    private static SettingsForm Valid() => new()
    {
        Enabled = true,
        Mode = "Shadow",
        Offset = "3.00:00:00",
        Slugs = "default = low-balance",
        ExtraRecipients = "",
        Version = 4,
    };

    private static List<(string Field, string English)> Errors(SettingsForm form) =>
        [.. Check(form).Errors.Select(e => (e.Field, e.English))];

    /// <summary>The form as the page submits it: read into the API's body, then the change's own rules (<see cref="SettingsOperations.Check"/>), refusals on the form's fields.</summary>
    private static (NoticeSettingsUpdate? Update, IReadOnlyList<SettingsFormError> Errors) Check(SettingsForm form)
    {
        var input = form.Read();
        if (input.Body is null)
        {
            return (null, input.Errors);
        }

        var errors = SettingsOperations.Check("LowBalanceNotice", input.Body, Validator, out var update);
        return (update, SettingsForm.ErrorsFrom(errors));
    }

    [Fact]
    public void Stored_settings_are_written_default_first_and_read_back_the_same()
    {
        var form = SettingsForm.From(NoticeSettingsView.From(Stored()));

        (form.Enabled, form.Mode, form.Offset, form.Version).ShouldBe((true, "Shadow", "3.00:00:00", 4));
        form.Slugs.ShouldBe("default = low-balance\nkaz = low-balance-kz");
        form.ExtraRecipients.ShouldBe("default = team@corp.example\nrus = ru-team@corp.example, billing@corp.example");

        var result = Check(form);
        result.Errors.ShouldBeEmpty();
        var update = result.Update.ShouldNotBeNull();
        (update.Enabled, update.Mode, update.Offset).ShouldBe((true, NoticeMode.Shadow, TimeSpan.FromDays(3)));
        update.Slugs.ShouldBe(Stored().Settings.Slugs, ignoreOrder: true);
        update.ExtraRecipients.Keys.ShouldBe(["default", "rus"], ignoreOrder: true);
        update.ExtraRecipients["rus"].ShouldBe(["ru-team@corp.example", "billing@corp.example"]);
        SettingsDiff.Compare(SettingsValues.From(Stored().Settings), SettingsValues.From(update)).ShouldBeEmpty();
    }

    [Fact]
    public void Lines_are_read_with_windows_line_breaks_blank_lines_spaces_and_semicolons()
    {
        var errors = new List<SettingsFormError>();

        var slugs = SettingsForm.ParseSlugs("\r\n  default=low-balance  \r\n\r\nkaz =  low-balance-kz\r\n", errors);
        var recipients = SettingsForm.ParseRecipients("default = a@corp.example;b@corp.example ,\nrus =", errors);

        errors.ShouldBeEmpty();
        slugs.ShouldBe(new Dictionary<string, string> { ["default"] = "low-balance", ["kaz"] = "low-balance-kz" }, ignoreOrder: true);
        recipients["default"].ShouldBe(["a@corp.example", "b@corp.example"]);
        recipients["rus"].ShouldBeEmpty();
    }

    [Fact]
    public void Each_malformed_line_is_an_error_with_its_number_and_the_good_lines_are_kept()
    {
        var errors = new List<SettingsFormError>();

        var slugs = SettingsForm.ParseSlugs("default = low-balance\nkaz\n = orphan\ndefault = again\nrus =", errors);

        slugs.ShouldBe(new Dictionary<string, string> { ["default"] = "low-balance" });
        errors.Select(e => e.English).ShouldBe(
        [
            "Line 2: write it as “country = …”, e.g. “rus = low-balance”.",
            "Line 3: the country is missing before “=”.",
            "Line 4: 'default' is given twice; keep one line per country.",
            "Line 5: the slug for 'rus' is missing.",
        ]);
        errors.ShouldAllBe(e => e.Field == nameof(SettingsForm.Slugs) && e.Russian.StartsWith("Строка ", StringComparison.Ordinal));
    }

    [Fact]
    public void The_rules_are_the_validators_with_the_apis_field_names_in_both_languages_and_nothing_is_returned_to_save()
    {
        var form = Valid();
        form.Mode = "Loud";
        form.Offset = "-01:00:00";
        form.Slugs = "RU = low-balance";
        form.ExtraRecipients = "default = team@corp.example, not-an-address";

        var result = Check(form);

        result.Update.ShouldBeNull();
        result.Errors.Select(e => (e.Field, e.English)).ShouldBe(
        [
            ("Mode", "mode: must be Live or Shadow (was 'Loud')"),
            ("Offset", "offset: must not be negative (was -01:00:00)"),
            ("Slugs", "slugs.RU: 'RU' is not a country: use a lower-case ISO 3166 alpha-3 code such as rus, or default"),
            ("ExtraRecipients", "extraRecipients.default[1]: 'not-an-address' is not an email address"),
        ]);
        result.Errors.Select(e => e.Russian).ShouldBe(
        [
            "mode: должен быть Live или Shadow (было «Loud»)",
            "offset: не может быть отрицательной (было -01:00:00)",
            "slugs.RU: «RU» — не страна: укажите код ISO 3166 alpha-3 строчными буквами, например rus, или default",
            "extraRecipients.default[1]: «not-an-address» — не адрес электронной почты",
        ]);
    }

    [Theory]
    [InlineData("", "offset: is required, e.g. \"3.00:00:00\" for three days")]
    [InlineData("3 days", "'3 days' is not a duration: write days.hours:minutes:seconds, e.g. 3.00:00:00 for three days or 01:30:00 for an hour and a half.")]
    [InlineData("366.00:00:00", "offset: must be at most 365.00:00:00 (was 366.00:00:00)")]
    public void A_bad_offset_is_reported_on_the_offset(string offset, string message)
    {
        var form = Valid();
        form.Offset = offset;

        Errors(form).ShouldBe([("Offset", message)]);
    }

    [Fact]
    public void A_missing_mode_is_required_as_by_the_api()
    {
        var form = Valid();
        form.Mode = " ";

        Errors(form).ShouldBe([("Mode", "mode: is required: Live or Shadow")]);
    }

    [Theory]
    [InlineData("3.00:00:00", 3 * 24 * 60)]
    [InlineData("01:30:00", 90)]
    [InlineData(" 0.00:05:00 ", 5)]
    public void Offsets_read_as_days_hours_minutes_seconds(string text, int minutes)
    {
        SettingsForm.TryParseOffset(text, out var offset).ShouldBeTrue();
        offset.ShouldBe(TimeSpan.FromMinutes(minutes));
    }

    [Fact]
    public void The_comparison_lists_changed_fields_only_per_country_in_the_forms_order()
    {
        var before = SettingsValues.From(Stored().Settings);
        var after = before with
        {
            Mode = "Live",
            Slugs = new Dictionary<string, string> { ["default"] = "low-balance", ["uzb"] = "low-balance-uz" },
            ExtraRecipients = new Dictionary<string, IReadOnlyList<string>> { ["default"] = ["team@corp.example"], ["rus"] = [] },
        };

        SettingsDiff.Compare(before, after).ShouldBe(
        [
            new SettingsChange(SettingsField.Mode, null, "Shadow", "Live"),
            new SettingsChange(SettingsField.Slugs, "kaz", "low-balance-kz", null),
            new SettingsChange(SettingsField.Slugs, "uzb", null, "low-balance-uz"),
            new SettingsChange(SettingsField.ExtraRecipients, "rus", "ru-team@corp.example, billing@corp.example", ""),
        ]);
    }

    [Fact]
    public void A_first_version_is_all_new()
    {
        var changes = SettingsDiff.Compare(null, SettingsValues.From(Stored().Settings));

        changes.ShouldAllBe(c => c.Before == null);
        changes.Select(c => (c.Field, c.Country, c.After)).ShouldBe(
        [
            (SettingsField.Enabled, null, "true"),
            (SettingsField.Mode, null, "Shadow"),
            (SettingsField.Offset, null, "3.00:00:00"),
            (SettingsField.Slugs, "default", "low-balance"),
            (SettingsField.Slugs, "kaz", "low-balance-kz"),
            (SettingsField.ExtraRecipients, "default", "team@corp.example"),
            (SettingsField.ExtraRecipients, "rus", "ru-team@corp.example, billing@corp.example"),
            (SettingsField.Window, null, "09:00–19:00 off"),
            (SettingsField.Cap, null, SettingsDiff.NoCap),
        ]);
    }

    [Fact]
    public void The_window_and_cap_are_written_read_back_and_compared()
    {
        var stored = Stored() with { Settings = Stored().Settings with { Window = SendWindowSettings.BusinessHours, Cap = new FrequencyCap(1, CapKey.Contract, TimeSpan.FromDays(1)) } };
        var form = SettingsForm.From(NoticeSettingsView.From(stored));
        (form.WindowStart, form.WindowEnd, form.WindowDays, form.CapCount, form.CapPer, form.CapPeriod).ShouldBe(("09:00", "19:00", "businessDays", "1", "contract", "1.00:00:00"));
        Check(form).Update!.Cap.ShouldBe(stored.Settings.Cap);

        form.WindowEnd = "20:30";
        form.WindowDays = "anyDay";
        form.CapCount = "";
        var update = Check(form).Update.ShouldNotBeNull();
        update.Window.ShouldBe(new SendWindowSettings(new TimeOnly(9, 0), new TimeOnly(20, 30), WindowDays.AnyDay));
        update.Cap.ShouldBeNull("an empty count is no cap");
        SettingsDiff.Compare(SettingsValues.From(stored.Settings), form.Values()).ShouldBe(
        [
            new SettingsChange(SettingsField.Window, null, "09:00–19:00 businessDays", "09:00–20:30 anyDay"),
            new SettingsChange(SettingsField.Cap, null, "1 per contract within 1.00:00:00", SettingsDiff.NoCap),
        ]);
    }

    [Fact]
    public void A_bad_window_or_cap_is_reported_on_its_field_in_both_languages()
    {
        var form = Valid();
        form.WindowStart = "25:00";
        form.WindowEnd = "19:00";
        form.WindowDays = "businessDays";
        form.CapCount = "0";
        form.CapPer = "contract";
        form.CapPeriod = "1.00:00:00";
        Check(form).Errors.Select(e => (e.Field, e.English)).ShouldBe(
        [
            ("WindowStart", "window.start: must be a local time HH:mm from 00:00 to 23:59 (was '25:00')"),
            ("CapCount", "cap.count: must be at least 1 (was 0); to remove the cap, switch it off"),
        ]);
        Check(form).Errors[0].Russian.ShouldBe("window.start: должно быть местным временем ЧЧ:мм от 00:00 до 23:59 (было «25:00»)");

        form.CapCount = "many";
        Errors(form).ShouldBe([("CapCount", "'many' is not a number of letters: write e.g. 1, or leave it empty for no cap.")]);
    }

    [Fact]
    public void An_edit_that_would_not_pass_is_still_compared_as_far_as_it_reads()
    {
        var form = SettingsForm.From(NoticeSettingsView.From(Stored()));
        form.Enabled = false;
        form.Mode = "shadow";
        form.Offset = "soon";
        form.Slugs = "default = low-balance\nbroken line";

        SettingsDiff.Compare(SettingsValues.From(Stored().Settings), form.Values()).ShouldBe(
        [
            new SettingsChange(SettingsField.Enabled, null, "true", "false"),
            new SettingsChange(SettingsField.Offset, null, "3.00:00:00", "soon"),
            new SettingsChange(SettingsField.Slugs, "kaz", "low-balance-kz", null),
        ]);
    }

    [Fact]
    public void A_history_version_reads_as_the_store_wrote_it_before_with_the_mode_as_a_number()
    {
        var json = System.Text.Json.JsonSerializer.Serialize(
            new NoticeSettingsUpdate(false, NoticeMode.Shadow, TimeSpan.FromHours(1), new Dictionary<string, string> { ["default"] = "x" }, new Dictionary<string, IReadOnlyList<string>>()),
            new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web));
        json.ShouldContain("\"mode\":1");

        var values = SettingsValues.From(NoticeSettingsValues.From(NoticeSettingsStore.ReadVersion(json).ShouldNotBeNull()));

        (values.Enabled, values.Mode, values.Offset).ShouldBe((false, "Shadow", "01:00:00"));
        values.Slugs["default"].ShouldBe("x");
        NoticeSettingsStore.ReadVersion("{not json").ShouldBeNull();
    }

    [Fact]
    public void The_chart_has_every_day_two_classed_bars_a_day_and_no_inline_style()
    {
        var from = new DateOnly(2026, 3, 1);
        var days = SettingsChart.Days(
            [
                new ShadowReportRow(from, "LowBalanceNotice", 4, 1, 0, 0),
                new ShadowReportRow(from, "TrialFollowUpNotice", 2, 1, 1, 0),
                new ShadowReportRow(from.AddDays(2), "LowBalanceNotice", 0, 3, 0, 1),
            ],
            from,
            from.AddDays(2));

        days.ShouldBe(
        [
            new ShadowReportDay(from, 6, 2, 1, 0),
            new ShadowReportDay(from.AddDays(1), 0, 0, 0, 0),
            new ShadowReportDay(from.AddDays(2), 0, 3, 0, 1),
        ]);

        var svg = SettingsChart.Svg(days, new ShadowChartText("Per day <all>", "6 shadowed & 5 sent", "shadowed", "sent"));
        svg.ShouldStartWith("<svg class=\"chart\"");
        svg.ShouldContain("role=\"img\" aria-label=\"6 shadowed &amp; 5 sent\"");
        svg.ShouldContain("<title>Per day &lt;all&gt;</title>");
        svg.ShouldNotContain("style", Case.Insensitive);
        svg.ShouldNotContain("script", Case.Insensitive);
        svg.ShouldContain("<title>2026-03-01: 6 shadowed</title>");
        svg.ShouldContain("<title>2026-03-03: 3 sent</title>");
        System.Text.RegularExpressions.Regex.Count(svg, "<rect class=\"shadowed\"").ShouldBe(2); // the legend and day 1
        System.Text.RegularExpressions.Regex.Count(svg, "<rect class=\"sent\"").ShouldBe(3); // the legend, days 1 and 3
    }

    [Theory]
    [InlineData(0, 10, 0)]
    [InlineData(1, 1000, 1)]
    [InlineData(10, 10, 150)]
    [InlineData(5, 10, 75)]
    public void Bars_scale_to_the_highest_figure_and_a_non_zero_one_shows(int value, int max, int height) =>
        SettingsChart.BarHeight(value, max).ShouldBe(height);
}
