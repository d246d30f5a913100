using System.Text.Json;
using CorpNotifier.Admin;
using CorpNotifier.AdminUi;

namespace CorpNotifier.Tests.AdminUi;

/// <summary>The console's pages show what the admin API answers: letters in its lists, an event's payload, a simulation's timeline.</summary>
public sealed class ConsoleViewsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_letter_is_shown_as_the_api_returns_it()
    {
        var notice = new Notice
        {
            Id = 12,
            Kind = "LimitIsOverRemindNotice",
            Status = NoticeStatus.Dequeued,
            Origin = NoticeOrigin.Event,
            ClientId = "client-42",
            ContractId = "contract-7",
            EventId = "balance-1",
            DequeuedByEventId = "balance-2",
            SendAt = T0.AddDays(3),
            Attempts = 0,
            ReasonCode = "dequeued",
            Reason = "cancelled by balance-2",
            SentTo = ["a@acme.example"],
            CreatedAt = T0,
            UpdatedAt = T0.AddDays(1),
        };

        var shown = NoticeView.From(notice);

        // The console's lists render the API's view: every field it shows is the notice's, the status and origin as the API names them.
        (shown.Id, shown.Kind, shown.Status, shown.Origin, shown.ClientId, shown.ContractId).ShouldBe((12L, "LimitIsOverRemindNotice", "dequeued", "event", "client-42", "contract-7"));
        (shown.EventId, shown.DequeuedByEventId, shown.DequeuedBy, shown.SendAt, shown.SentAt, shown.Attempts).ShouldBe(("balance-1", "balance-2", (string?)null, T0.AddDays(3), (DateTimeOffset?)null, 0));
        (shown.ReasonCode, shown.Reason, shown.CreatedAt, shown.UpdatedAt).ShouldBe(("dequeued", "cancelled by balance-2", T0, T0.AddDays(1)));
        shown.SentTo.ShouldBe(["a@acme.example"]);
    }

    [Fact]
    public void A_payload_is_indented_with_its_secrets_masked()
    {
        var payload = JsonSerializer.SerializeToElement(new
        {
            eventId = "c-1",
            type = "ContractChanged",
            clientId = "client-42",
            data = new { contractId = "contract-7", externalId = "ДГ-2026/7", temporaryPassword = "s3cret" },
        });

        var text = EventPayload.Pretty(payload);

        text.ShouldNotContain("s3cret");
        text.ShouldContain("\"temporaryPassword\": \"***\"");
        text.ShouldContain("\"externalId\": \"ДГ-2026/7\"");
        text.ShouldContain("\n  \"data\": {");
    }

    [Fact]
    public void A_simulation_reads_as_one_timeline_in_the_order_things_happen()
    {
        var limit = Letter("LimitIsOverNotice", created: T0, outcome: "sent", at: T0);
        var remind = Letter("LimitIsOverRemindNotice", created: T0, outcome: "dequeued", at: T0.AddDays(1));
        var unblock = Letter("FinancialUnblockNotice", created: T0.AddDays(1), outcome: "rejected", at: T0.AddDays(1));
        var waiting = Letter("LowBalanceNotice", created: T0.AddHours(1), outcome: "pending", at: null);

        var steps = SimulationTimeline.Build(new SimulationResult([limit, remind, unblock, waiting], []));

        steps.Select(s => $"{s.At:MM-dd HH} {s.Letter.Kind} {(s.Created ? "created" : s.Letter.Outcome)} {s.Tone}").ShouldBe(
        [
            "12-01 09 LimitIsOverNotice created ",
            "12-01 09 LimitIsOverRemindNotice created ",
            "12-01 09 LimitIsOverNotice sent good",
            "12-01 10 LowBalanceNotice created ",
            "12-02 09 FinancialUnblockNotice created ",
            "12-02 09 LimitIsOverRemindNotice dequeued ",
            "12-02 09 FinancialUnblockNotice rejected bad",
        ]);
    }

    private static SimulatedLetter Letter(string kind, DateTimeOffset created, string outcome, DateTimeOffset? at) =>
        new(kind, "contract-7", "e-1", created, created, outcome, at, null, null, null, [], new Dictionary<string, object?>());
}
