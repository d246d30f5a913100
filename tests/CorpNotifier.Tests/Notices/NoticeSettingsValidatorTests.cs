using CorpNotifier.Rules;

namespace CorpNotifier.Tests.Notices;

/// <summary>The rules of notice settings, the same for configuration and for the settings API.</summary>
public sealed class NoticeSettingsValidatorTests
{
    private static readonly NoticeSettingsValidator Validator = new(NoticeCatalog.Discover());

    private static NoticeSettingsCandidate Valid(string kind = "LowBalanceNotice") => new(
        kind,
        "Shadow",
        TimeSpan.FromDays(3),
        new Dictionary<string, string> { ["default"] = "low-balance", ["kaz"] = "low-balance-kz" },
        new Dictionary<string, List<string>> { ["default"] = ["team@corp.example"], ["rus"] = ["ru-team@corp.example", "billing@corp.example"] });

    private static IReadOnlyList<(NoticeSettingsPath Path, string Message)> Failures(NoticeSettingsCandidate settings) =>
        [.. Validator.Validate(settings).Select(f => (f.Path, f.Message))];

    [Fact]
    public void Valid_settings_pass() =>
        Failures(Valid()).ShouldBeEmpty();

    [Fact]
    public void Missing_values_are_left_to_the_source() =>
        Failures(new NoticeSettingsCandidate("LowBalanceNotice", null, null, null, null)).ShouldBeEmpty();

    [Fact]
    public void A_settings_without_a_default_slug_passes() =>
        Failures(Valid() with { Slugs = new Dictionary<string, string> { ["kaz"] = "low-balance-kz" } }).ShouldBeEmpty();

    [Fact]
    public void An_unknown_kind_is_the_only_failure_reported()
    {
        var failure = Failures(Valid("NoSuchNotice") with { Offset = TimeSpan.FromHours(-1) }).ShouldHaveSingleItem();
        failure.Path.ShouldBe(new NoticeSettingsPath(NoticeSettingsField.Kind));
        failure.Message.ShouldStartWith("unknown notice kind; known kinds are ");
        failure.Message.ShouldContain("LowBalanceNotice");
    }

    [Theory]
    [InlineData("Live")]
    [InlineData("shadow")]
    public void A_mode_is_one_of_the_names_in_any_case(string mode) =>
        Failures(Valid() with { Mode = mode }).ShouldBeEmpty();

    [Theory]
    [InlineData("1")]
    [InlineData("7")]
    [InlineData("Pigeon")]
    [InlineData("Live, Shadow")]
    public void Any_other_mode_fails(string mode) =>
        Failures(Valid() with { Mode = mode }).ShouldBe([(new NoticeSettingsPath(NoticeSettingsField.Mode), $"must be Live or Shadow (was '{mode}')")]);

    [Fact]
    public void A_negative_offset_fails() =>
        Failures(Valid() with { Offset = TimeSpan.FromHours(-1) }).ShouldBe([(new NoticeSettingsPath(NoticeSettingsField.Offset), "must not be negative (was -01:00:00)")]);

    [Fact]
    public void An_offset_up_to_a_year_passes() =>
        Failures(Valid() with { Offset = NoticeSettingsValidator.MaxOffset }).ShouldBeEmpty();

    [Fact]
    public void An_offset_beyond_a_year_fails() =>
        Failures(Valid() with { Offset = NoticeSettingsValidator.MaxOffset + TimeSpan.FromSeconds(1) })
            .ShouldBe([(new NoticeSettingsPath(NoticeSettingsField.Offset), "must be at most 365.00:00:00 (was 365.00:00:01)")]);

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData(null)]
    public void An_empty_slug_fails_naming_its_country(string? slug) =>
        Failures(Valid() with { Slugs = new Dictionary<string, string> { ["default"] = "low-balance", ["rus"] = slug! } })
            .ShouldBe([(new NoticeSettingsPath(NoticeSettingsField.Slugs, "rus"), "must not be empty")]);

    [Theory]
    [InlineData("RUS")]
    [InlineData("ru")]
    [InlineData("russia")]
    [InlineData("Default")]
    [InlineData("r1s")]
    [InlineData("")]
    public void A_country_is_a_lower_case_alpha_3_code_or_default(string country)
    {
        var message = $"'{country}' is not a country: use a lower-case ISO 3166 alpha-3 code such as rus, or default";
        Failures(Valid() with { Slugs = new Dictionary<string, string> { [country] = "low-balance" } })
            .ShouldBe([(new NoticeSettingsPath(NoticeSettingsField.Slugs, country), message)]);
        Failures(Valid() with { ExtraRecipients = new Dictionary<string, List<string>> { [country] = ["team@corp.example"] } })
            .ShouldBe([(new NoticeSettingsPath(NoticeSettingsField.ExtraRecipients, country), message)]);
    }

    [Fact]
    public void Each_address_that_is_not_a_bare_one_fails_naming_its_country_and_position() =>
        Failures(Valid() with
        {
            ExtraRecipients = new Dictionary<string, List<string>>
            {
                ["default"] = ["team@corp.example", "not-an-address"],
                ["kaz"] = ["Boss <boss@corp.example>", "kz@corp.example", "a@b.example, c@d.example"],
            },
        }).ShouldBe(
        [
            (new NoticeSettingsPath(NoticeSettingsField.ExtraRecipients, "default", 1), "'not-an-address' is not an email address"),
            (new NoticeSettingsPath(NoticeSettingsField.ExtraRecipients, "kaz", 0), "'Boss <boss@corp.example>' is not an email address"),
            (new NoticeSettingsPath(NoticeSettingsField.ExtraRecipients, "kaz", 2), "'a@b.example, c@d.example' is not an email address"),
        ]);

    [Fact]
    public void A_country_without_a_list_fails() =>
        Failures(Valid() with { ExtraRecipients = new Dictionary<string, List<string>> { ["default"] = null! } })
            .ShouldBe([(new NoticeSettingsPath(NoticeSettingsField.ExtraRecipients, "default"), "must be a list of email addresses")]);

    [Fact]
    public void Configuration_names_a_failure_by_its_key()
    {
        NoticesOptionsValidator.Key("LowBalanceNotice", new NoticeSettingsPath(NoticeSettingsField.Kind)).ShouldBe("Notices:LowBalanceNotice");
        NoticesOptionsValidator.Key("LowBalanceNotice", new NoticeSettingsPath(NoticeSettingsField.Offset)).ShouldBe("Notices:LowBalanceNotice:Offset");
        NoticesOptionsValidator.Key("LowBalanceNotice", new NoticeSettingsPath(NoticeSettingsField.Slugs, "rus")).ShouldBe("Notices:LowBalanceNotice:Slugs:rus");
        NoticesOptionsValidator.Key("LowBalanceNotice", new NoticeSettingsPath(NoticeSettingsField.ExtraRecipients, "default", 0)).ShouldBe("Notices:LowBalanceNotice:ExtraRecipients:default:0");
        NoticesOptionsValidator.Key("LowBalanceNotice", new NoticeSettingsPath(NoticeSettingsField.Window) { Part = "End" }).ShouldBe("Notices:LowBalanceNotice:Window:End");
    }

    [Fact]
    public void A_valid_window_and_cap_pass() =>
        Failures(Valid() with { Window = new("09:00", "19:00", "businessDays"), Cap = new(1, "contract", TimeSpan.FromDays(1)) }).ShouldBeEmpty();

    [Fact]
    public void A_window_ending_at_or_before_its_start_fails_on_its_end() =>
        Failures(Valid() with { Window = new("19:00", "09:00", "anyDay") }).ShouldBe(
            [(new NoticeSettingsPath(NoticeSettingsField.Window) { Part = "End" }, "must be after the start 19:00 (was 09:00); a window does not cross midnight")]);

    [Theory]
    [InlineData("25:00")]
    [InlineData("9")]
    [InlineData("09:00 pm")]
    public void An_hour_out_of_range_fails_naming_its_part(string start) =>
        Failures(Valid() with { Window = new(start, "19:00", "off") }).ShouldBe(
            [(new NoticeSettingsPath(NoticeSettingsField.Window) { Part = "Start" }, $"must be a local time HH:mm from 00:00 to 23:59 (was '{start}')")]);

    [Fact]
    public void An_unknown_day_name_fails() =>
        Failures(Valid() with { Window = new("09:00", "19:00", "weekdays") }).ShouldBe(
            [(new NoticeSettingsPath(NoticeSettingsField.Window) { Part = "Days" }, "must be off, businessDays or anyDay (was 'weekdays')")]);

    [Fact]
    public void A_cap_below_one_a_period_not_positive_and_an_unknown_key_each_fail() =>
        Failures(Valid() with { Cap = new(0, "planet", TimeSpan.Zero) }).Select(f => f.Path.Part).ShouldBe(["Count", "Per", "Period"]);

    [Fact]
    public void Configuration_with_a_bad_window_or_cap_fails_at_start_naming_the_keys()
    {
        var options = new NoticesOptions
        {
            ["LowBalanceNotice"] = new NoticeSettings { Window = new SendWindowOptions { End = new TimeOnly(8, 0) }, Cap = new FrequencyCapOptions { Count = 0 } },
        };

        var result = new NoticesOptionsValidator(Validator).Validate(null, options);

        result.Failed.ShouldBeTrue();
        result.Failures!.ShouldBe(
        [
            "Notices:LowBalanceNotice:Window:End: must be after the start 09:00 (was 08:00); a window does not cross midnight.",
            "Notices:LowBalanceNotice:Cap:Count: must be at least 1 (was 0); to remove the cap, switch it off.",
        ]);
    }
}
