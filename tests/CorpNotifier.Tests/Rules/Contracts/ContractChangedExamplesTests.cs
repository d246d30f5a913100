using CorpNotifier.Contracts;
using static CorpNotifier.Tests.Rules.RuleKit;

namespace CorpNotifier.Tests.Rules.Contracts;

/// <summary>Every rule evaluated together on the contract transitions of docs/design.md and docs/notices.md.</summary>
public sealed class ContractChangedExamplesTests
{
    private static IReadOnlyList<string> On(ContractState? from, ContractState to) => Evaluate(ContractChange(from, to), Context());

    [Fact]
    public void A_new_prepaid_offer_contract_not_accepted_schedules_three_reminders() =>
        On(null, Prepaid(accepted: false, isOffer: true)).ShouldBe(
        [
            "Enqueue FirstRemindPrepaidNotice @+2.00:00:00",
            "Enqueue SecondRemindPrepaidNotice @+5.00:00:00",
            "Enqueue ThirdRemindOfferNotice @+10.00:00:00",
        ]);

    [Fact]
    public void A_new_prepaid_paper_contract_not_accepted_schedules_the_paper_third_reminder() =>
        On(null, Prepaid(accepted: false, isOffer: false)).ShouldBe(
        [
            "Enqueue FirstRemindPrepaidNotice @+2.00:00:00",
            "Enqueue SecondRemindPrepaidNotice @+5.00:00:00",
            "Enqueue ThirdRemindPrepaidNotice @+10.00:00:00",
        ]);

    [Fact]
    public void Accepting_the_offer_dequeues_the_reminders_and_schedules_the_prepaid_take_a_ride_letters() =>
        On(Prepaid(accepted: false), Prepaid(accepted: true)).ShouldBe(
        [
            "Dequeue FirstRemindPrepaidNotice",
            "Dequeue SecondRemindPrepaidNotice",
            "Dequeue ThirdRemindOfferNotice",
            "Dequeue ThirdRemindPrepaidNotice",
            "Enqueue PrepaidFirstTakeARideNotice @+3.00:00:00",
            "Enqueue PrepaidSecondTakeARideNotice @+7.00:00:00",
        ]);

    [Fact]
    public void A_new_prepaid_contract_already_accepted_gets_take_a_ride_letters_and_no_reminders() =>
        On(null, Prepaid(accepted: true)).ShouldBe(
        [
            "Enqueue PrepaidFirstTakeARideNotice @+3.00:00:00",
            "Enqueue PrepaidSecondTakeARideNotice @+7.00:00:00",
        ]);

    [Fact]
    public void A_postpaid_contract_becoming_active_with_taxi_sends_the_activation_now_and_schedules_take_a_ride() =>
        On(Postpaid(active: false), Postpaid(active: true, "taxi")).ShouldBe(
        [
            "Enqueue ActivateClientNotice @+00:00:00",
            "Enqueue PostpaidFirstTakeARideNotice @+3.00:00:00",
            "Enqueue PostpaidSecondTakeARideNotice @+7.00:00:00",
        ]);

    [Fact]
    public void A_new_inactive_postpaid_contract_enqueues_nothing() =>
        On(null, Postpaid(active: false)).ShouldBeEmpty();

    [Fact]
    public void A_contract_resynced_with_no_change_does_nothing()
    {
        On(Prepaid(accepted: false), Prepaid(accepted: false)).ShouldBeEmpty();
        On(Postpaid(active: true, "taxi", "cargo"), Postpaid(active: true, "taxi", "cargo")).ShouldBeEmpty();
        On(Prepaid(accepted: true, active: true), Prepaid(accepted: true, active: true)).ShouldBeEmpty();
    }

    [Fact]
    public void An_order_dequeues_every_take_a_ride_letter_of_the_client() =>
        Evaluate(Order(), Context()).ShouldBe(
        [
            "Dequeue PostpaidFirstTakeARideNotice",
            "Dequeue PostpaidSecondTakeARideNotice",
            "Dequeue PrepaidFirstTakeARideNotice",
            "Dequeue PrepaidSecondTakeARideNotice",
        ]);
}
