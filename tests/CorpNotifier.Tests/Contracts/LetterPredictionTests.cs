using CorpNotifier.Contracts;
using CorpNotifier.Testing;

namespace CorpNotifier.Tests.Contracts;

/// <summary>
/// The producers' test kit predicts letters with the service's own engine, in the test's process:
/// what a balance drop and its recovery do, what a client without an address gets, and an event
/// the service would refuse. (Its agreement with the service's simulation, scenario by scenario,
/// is in <see cref="Admin.SimulationAgreementTests"/>.)
/// </summary>
public sealed class LetterPredictionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);
    private static readonly TestEvents Events = new(T0);

    private static readonly PredictionClient Client = new() { Name = "Acme LLC", Country = "rus", Locale = "ru", TimeZone = "Europe/Moscow", Emails = ["finance@acme.example"] };

    private static readonly PredictionContract Contract = new("contract-7", new ContractState
    {
        PaymentType = PaymentTypes.Prepaid,
        IsActive = true,
        Services = ["taxi"],
        DeactivateThreshold = 0m,
        LowBalanceThreshold = 100m,
        LowBalanceNotificationsEnabled = true,
    })
    { ExternalId = "RU-7/2026" };

    [Fact]
    public async Task A_balance_drop_below_the_limit_sends_the_notice_at_once_and_its_reminder_three_days_later_at_the_next_business_morning()
    {
        var drop = Events.Balance("client-42", 150m, -5m, "contract-7", eventId: "billing-balance-981", at: T0);

        var prediction = await LetterPrediction.PredictAsync(Client, Contract, [drop]);

        var notice = prediction.Single("LimitIsOverNotice");
        notice.Outcome.ShouldBe(PredictedOutcome.Sent);
        notice.SendAt.ShouldBe(T0);
        notice.CreatedByEventId.ShouldBe("billing-balance-981");
        notice.Recipients.ShouldBe(["finance@acme.example"]);
        notice.Args["new_balance"].ShouldBe("-5");
        notice.Args["external_id"].ShouldBe("RU-7/2026");
        var reminder = prediction.Single("LimitIsOverRemindNotice");
        reminder.Outcome.ShouldBe(PredictedOutcome.Sent);
        // Three days after Thursday 13:00 Moscow time is a Sunday: the reminder waits for its send
        // window, Monday 09:00 Moscow time (06:00 UTC).
        var mondayMorning = new DateTimeOffset(2026, 11, 30, 6, 0, 0, TimeSpan.Zero);
        reminder.SendAt.ShouldBe(mondayMorning);
        reminder.OutcomeAt.ShouldBe(mondayMorning);
        // Falling through the low-balance threshold too, it says the more serious thing only.
        prediction.Letters.Select(l => l.Kind).ShouldBe(["LimitIsOverNotice", "LimitIsOverRemindNotice"]);
    }

    [Fact]
    public async Task A_top_up_before_the_reminder_falls_due_dequeues_it_and_announces_the_unblock()
    {
        var drop = Events.Balance("client-42", 150m, -5m, "contract-7", eventId: "drop", at: T0);
        var topUp = Events.Balance("client-42", -5m, 500m, "contract-7", eventId: "top-up", at: T0.AddDays(1));

        // The events' order in the list does not matter: they happen at their moments.
        var prediction = await LetterPrediction.PredictAsync(Client, Contract, [topUp, drop]);

        var reminder = prediction.Single("LimitIsOverRemindNotice");
        reminder.Outcome.ShouldBe(PredictedOutcome.Dequeued);
        reminder.OutcomeAt.ShouldBe(T0.AddDays(1));
        var unblock = prediction.Single("FinancialUnblockNotice");
        unblock.Outcome.ShouldBe(PredictedOutcome.Sent);
        unblock.CreatedByEventId.ShouldBe("top-up");
    }

    [Fact]
    public async Task A_client_without_an_address_gets_no_letter_and_the_prediction_says_why()
    {
        var drop = Events.Balance("client-42", 150m, -5m, "contract-7", at: T0);

        var prediction = await LetterPrediction.PredictAsync(Client with { Emails = [] }, Contract, [drop]);

        var notice = prediction.Single("LimitIsOverNotice");
        notice.Outcome.ShouldBe(PredictedOutcome.Rejected);
        notice.ReasonCode.ShouldNotBeNullOrWhiteSpace();
        notice.Recipients.ShouldBeEmpty();
    }

    [Fact]
    public async Task Without_a_known_contract_a_balance_event_makes_no_letter()
    {
        var prediction = await LetterPrediction.PredictAsync(Client, [Events.Balance("client-42", 150m, -5m, "contract-7", at: T0)]);

        prediction.Letters.ShouldBeEmpty();
        prediction.Notes.ShouldHaveSingleItem().ShouldContain("contract contract-7 unknown");
        Should.Throw<InvalidOperationException>(() => prediction.Single("LimitIsOverNotice")).Message.ShouldBe("0 letters of kind LimitIsOverNotice; the letters are: none");
    }

    [Fact]
    public async Task A_second_activation_of_the_same_contract_sends_no_second_activation_letter_and_says_so()
    {
        var inactive = Contract.State with { IsActive = false };
        var activated = Events.Contract("client-42", inactive, Contract.State, "contract-7", eventId: "activated", at: T0);
        var deactivated = Events.Contract("client-42", Contract.State, inactive, "contract-7", eventId: "deactivated", at: T0.AddDays(1));
        var again = Events.Contract("client-42", inactive, Contract.State, "contract-7", eventId: "activated-again", at: T0.AddDays(2));

        var prediction = await LetterPrediction.PredictAsync(Client, Contract, [activated, deactivated, again]);

        prediction.Single("ActivateClientNotice").CreatedByEventId.ShouldBe("activated");
        prediction.Notes.ShouldBe(["activated-again: already sent before, not made again: ActivateClientNotice"]);
    }

    [Fact]
    public async Task An_event_the_service_would_refuse_is_refused_with_the_service_s_words()
    {
        var bad = Events.Balance("client-42", 150m, -5m, "contract-7", at: T0) with { Currency = "rub" };

        var refused = await Should.ThrowAsync<EventValidationException>(() => LetterPrediction.PredictAsync(Client, Contract, [bad]));

        refused.Errors.ShouldBe(["events[0].data.currency: must be an ISO 4217 code of three capital letters, e.g. RUB"]);
    }

    [Fact]
    public async Task A_client_profile_the_service_would_refuse_is_refused_with_the_service_s_words()
    {
        var drop = Events.Balance("client-42", 150m, -5m, "contract-7", at: T0);

        var refused = await Should.ThrowAsync<EventValidationException>(() =>
            LetterPrediction.PredictAsync(Client with { Country = "RU", Locale = "ru_RU" }, Contract, [drop]));
        var unknown = await Should.ThrowAsync<EventValidationException>(() =>
            LetterPrediction.PredictAsync(Client with { TimeZone = "Moscow", Emails = ["finance@acme.example", "finance"] }, Contract, [drop]));

        refused.Errors.ShouldBe(
        [
            "client.country: must be a lower-case ISO 3166 alpha-3 code, e.g. rus",
            "client.locale: must be a language tag, e.g. ru or en",
        ],
        ignoreOrder: true);
        unknown.Errors.ShouldBe(
        [
            "client.timeZone: must be an IANA time zone, e.g. Europe/Moscow",
            "client.emails[1]: is not an email address",
        ],
        ignoreOrder: true);
    }

    [Fact]
    public async Task Events_about_two_clients_or_a_key_that_is_not_a_key_are_refused()
    {
        var first = Events.Balance("client-42", 150m, -5m, "contract-7", at: T0);
        var second = Events.Balance("client-43", 150m, -5m, "contract-7", at: T0);

        (await Should.ThrowAsync<EventValidationException>(() => LetterPrediction.PredictAsync(Client, Contract, [first, second])))
            .Errors.ShouldBe(["events: a simulation is about one client: every event must have the same clientId"]);
        (await Should.ThrowAsync<EventValidationException>(() => LetterPrediction.PredictAsync(Client, Contract, [first], new PredictionOptions { FernetKeys = ["not-a-key"] })))
            .Errors.ShouldBe(["options.FernetKeys: entry 0 is not a Fernet key (32 bytes in URL-safe base64, 44 characters)"]);
    }
}
