using CorpNotifier.Rules;

namespace CorpNotifier.Tests.Unsubscribes;

/// <summary>Every kind is mandatory or optional, and what a client's service depends on is mandatory.</summary>
public sealed class CategoryTests
{
    private static readonly NoticeCatalog Catalog = NoticeCatalog.Discover();

    [Fact]
    public void Every_kind_has_one_of_the_known_categories()
    {
        Catalog.Rules.Count.ShouldBe(32);
        Catalog.Rules.ShouldAllBe(r => NoticeCategory.All.Contains(r.Category));
    }

    [Theory]
    [InlineData("LimitIsOverNotice", "money")]
    [InlineData("LimitIsOverRemindNotice", "money")]
    [InlineData("LowBalanceNotice", "money")]
    [InlineData("FinancialUnblockNotice", "money")]
    [InlineData("ActivateClientNotice", "access")]
    [InlineData("TaxiContractActivatedFromManagerNotice", "access")]
    [InlineData("NewTrialAutoRegisteredClientNotice", "access")]
    [InlineData("TaxiContractActivateNotice", "contract")]
    [InlineData("ClientRequestRejectedNotice", "requests")]
    [InlineData("TaxiManagerRequestAcceptedNotice", "requests")]
    public void Money_access_contract_and_request_letters_are_mandatory(string kind, string category)
    {
        var rule = Catalog.Find(kind)!;
        rule.Category.Name.ShouldBe(category);
        rule.Category.Mandatory.ShouldBeTrue();
    }

    [Fact]
    public void The_optional_letters_are_the_take_a_ride_nudges_the_offer_reminders_and_the_trial_follow_up()
    {
        var optional = Catalog.Rules.Where(r => !r.Category.Mandatory).ToDictionary(r => r.Kind, r => r.Category.Name);
        optional.ShouldBe(new Dictionary<string, string>
        {
            ["PostpaidFirstTakeARideNotice"] = "onboarding",
            ["PostpaidSecondTakeARideNotice"] = "onboarding",
            ["PrepaidFirstTakeARideNotice"] = "onboarding",
            ["PrepaidSecondTakeARideNotice"] = "onboarding",
            ["FirstRemindPrepaidNotice"] = "reminders",
            ["SecondRemindPrepaidNotice"] = "reminders",
            ["ThirdRemindOfferNotice"] = "reminders",
            ["ThirdRemindPrepaidNotice"] = "reminders",
            ["TrialFollowUpNotice"] = "trial_follow_ups",
        }, ignoreOrder: true);
    }

    [Fact]
    public void Category_names_are_unique_and_found_by_name()
    {
        NoticeCategory.All.Select(c => c.Name).ShouldBeUnique();
        NoticeCategory.Named("reminders").ShouldBe(NoticeCategory.Reminders);
        NoticeCategory.Named("nope").ShouldBeNull();
    }
}
