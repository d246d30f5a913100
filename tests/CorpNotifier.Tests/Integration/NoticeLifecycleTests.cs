using CorpNotifier.Contracts;
using CorpNotifier.Rules;
using Microsoft.EntityFrameworkCore;

namespace CorpNotifier.Tests.Integration;

/// <summary>
/// Every notice through the whole host on its embedded default, with a clock the test moves:
/// trigger → <c>pending</c> with <c>send_at</c> = now + offset → <c>sent</c> with its arguments and
/// recipients; and each notice's cancel or reject path with its reason code.
/// </summary>
public sealed class NoticeLifecycleTests(NoticeLifecycleTests.Host host) : IClassFixture<NoticeLifecycleTests.Host>
{
    private static readonly NoticeCatalog Catalog = NoticeCatalog.Discover();

    public sealed class Host : IDisposable
    {
        public TestHost Value { get; } = new();

        public void Dispose() => Value.Dispose();
    }

    private TestHost App => host.Value;

    public static TheoryData<string> Kinds() => [.. Catalog.Kinds];

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_notice_goes_from_its_trigger_to_pending_and_then_to_sent_with_its_arguments(string kind)
    {
        var ids = new Ids(kind, "main");
        await PostAsync(Profile(ids));
        await PostAllAsync(Setup(kind, ids));
        await PostAllAsync(Trigger(kind, ids));

        var notice = await LetterAsync(ids, kind);
        var offset = Catalog.Find(kind)!.DefaultOffset;
        notice.SendAt.ShouldBe(notice.CreatedAt + offset);
        notice.Origin.ShouldBe(NoticeOrigin.Event);
        if (offset > TimeSpan.Zero)
        {
            notice.Status.ShouldBe(NoticeStatus.Pending);
            App.Clock.Advance(offset);
        }

        notice = await DoneAsync(notice.Id);
        notice.Status.ShouldBe(NoticeStatus.Sent, $"{notice.ReasonCode}: {notice.Reason}");
        notice.SentAt!.Value.ShouldBeGreaterThanOrEqualTo(notice.SendAt);
        notice.SentTo.ShouldBe([ids.Email]);
        notice.SentSlug.ShouldBe(Catalog.Find(kind)!.DefaultSlug);
        var args = notice.Args.Select(p => p.Key).ToList();
        args.ShouldBe(Catalog.Find(kind)!.Arguments.Where(a => a != "temporary_password"), ignoreOrder: true);
        App.Letters().ShouldContain(f => Path.GetFileName(f).StartsWith($"{notice.Id:D8}-{kind}-", StringComparison.Ordinal));
    }

    public static TheoryData<string, string> CancelAndRejectPaths()
    {
        var data = new TheoryData<string, string>();
        foreach (var kind in new[] { "FirstRemindPrepaidNotice", "SecondRemindPrepaidNotice", "ThirdRemindPrepaidNotice", "ThirdRemindOfferNotice" })
        {
            data.Add(kind, "dequeued when the offer is accepted");
            data.Add(kind, ReasonCodes.NoTaxiService);
        }

        foreach (var kind in new[] { "PrepaidFirstTakeARideNotice", "PrepaidSecondTakeARideNotice", "PostpaidFirstTakeARideNotice", "PostpaidSecondTakeARideNotice" })
        {
            data.Add(kind, "dequeued by an order");
            data.Add(kind, ReasonCodes.HasSuccessfulOrder);
        }

        foreach (var kind in new[] { "ActivateClientNotice", "CargoActivateClientNotice" })
        {
            data.Add(kind, "at most once per contract");
            data.Add(kind, ReasonCodes.NoRecipient);
        }

        data.Add("LowBalanceNotice", ReasonCodes.NoRecipient);
        data.Add("LimitIsOverNotice", ReasonCodes.NoRecipient);
        data.Add("FinancialUnblockNotice", ReasonCodes.NoRecipient);
        data.Add("LimitIsOverRemindNotice", "dequeued by the unblock");
        return data;
    }

    [Theory]
    [MemberData(nameof(CancelAndRejectPaths))]
    public async Task A_notice_is_cancelled_or_rejected_with_its_reason(string kind, string path)
    {
        var ids = new Ids(kind, path);
        await PostAsync(Profile(ids, emails: path == ReasonCodes.NoRecipient ? [] : null));
        await PostAllAsync(Setup(kind, ids));
        if (path == ReasonCodes.HasSuccessfulOrder)
        {
            await PostAsync(Order(ids));
        }

        await PostAllAsync(Trigger(kind, ids, services: path == ReasonCodes.NoTaxiService ? ["cargo"] : null));
        var notice = await LetterAsync(ids, kind);

        switch (path)
        {
            case "dequeued when the offer is accepted":
                var accepted = Contract(ids, Prepaid(accepted: false, isOffer: kind != "ThirdRemindPrepaidNotice"), Prepaid(accepted: true, isOffer: kind != "ThirdRemindPrepaidNotice"));
                await PostAsync(accepted);
                await ExpectDequeuedAsync(notice, accepted.EventId);
                break;
            case "dequeued by an order":
                var order = Order(ids);
                await PostAsync(order);
                await ExpectDequeuedAsync(notice, order.EventId);
                break;
            case "dequeued by the unblock":
                var unblock = Balance(ids, 5, 150);
                await PostAsync(unblock);
                await ExpectDequeuedAsync(notice, unblock.EventId);
                break;
            case "at most once per contract":
                await DoneAsync(notice.Id);
                var service = kind == "ActivateClientNotice" ? "taxi" : "cargo";
                await PostAsync(Contract(ids, Postpaid(active: true, service), Postpaid(active: false, service)));
                await PostAsync(Contract(ids, Postpaid(active: false, service), Postpaid(active: true, service)));
                (await App.NoticesAsync(ids.Client)).Count(n => n.Kind == kind).ShouldBe(1);
                (await App.WithDbAsync(db => db.Events.Where(e => e.ClientId == ids.Client).OrderBy(e => e.ReceivedAt).Select(e => e.Outcome).ToListAsync()))
                    .Last()!.ShouldContain("already sent before 1");
                break;
            default:
                App.Clock.Advance(Catalog.Find(kind)!.DefaultOffset);
                notice = await DoneAsync(notice.Id);
                notice.Status.ShouldBe(NoticeStatus.Rejected);
                notice.ReasonCode.ShouldBe(path);
                notice.Reason.ShouldNotBeNullOrWhiteSpace();
                App.Letters().ShouldNotContain(f => Path.GetFileName(f).StartsWith($"{notice.Id:D8}-", StringComparison.Ordinal));
                break;
        }
    }

    private async Task ExpectDequeuedAsync(Notice notice, string byEvent)
    {
        var done = await DoneAsync(notice.Id);
        done.Status.ShouldBe(NoticeStatus.Dequeued);
        done.DequeuedByEventId.ShouldBe(byEvent);
        App.Clock.Advance(Catalog.Find(notice.Kind)!.DefaultOffset + TimeSpan.FromMinutes(1));
        await App.WaitForSweepsAsync();
        (await App.NoticesAsync(notice.ClientId!)).Single(n => n.Id == notice.Id).Status.ShouldBe(NoticeStatus.Dequeued);
    }

    private sealed record Ids(string Client, string ContractId, string Email)
    {
        public Ids(string kind, string path)
            : this($"{kind}-{path.Replace(' ', '-')}", $"k-{kind}-{path.Replace(' ', '-')}", $"{kind.ToLowerInvariant()}.{Math.Abs(path.GetHashCode(StringComparison.Ordinal))}@clients.example")
        {
        }
    }

    private IEnumerable<IEvent> Setup(string kind, Ids ids) => kind switch
    {
        "LowBalanceNotice" or "LimitIsOverNotice" or "LimitIsOverRemindNotice" or "FinancialUnblockNotice" =>
            [Contract(ids, Postpaid(active: true, "taxi"), Postpaid(active: true, "taxi"))],
        _ => [],
    };

    private IEnumerable<IEvent> Trigger(string kind, Ids ids, string[]? services = null) => kind switch
    {
        "FirstRemindPrepaidNotice" or "SecondRemindPrepaidNotice" or "ThirdRemindOfferNotice" => [Contract(ids, null, Prepaid(accepted: false, isOffer: true, services))],
        "ThirdRemindPrepaidNotice" => [Contract(ids, null, Prepaid(accepted: false, isOffer: false, services))],
        "PrepaidFirstTakeARideNotice" or "PrepaidSecondTakeARideNotice" => [Contract(ids, null, Prepaid(accepted: true, isOffer: true, services))],
        "PostpaidFirstTakeARideNotice" or "PostpaidSecondTakeARideNotice" => [Contract(ids, Postpaid(active: false, services ?? ["taxi"]), Postpaid(active: true, services ?? ["taxi"]))],
        "ActivateClientNotice" => [Contract(ids, null, Postpaid(active: true, "taxi"))],
        "CargoActivateClientNotice" => [Contract(ids, null, Postpaid(active: true, "cargo"))],
        "LowBalanceNotice" => [Balance(ids, 150, 50)],
        "LimitIsOverNotice" or "LimitIsOverRemindNotice" => [Balance(ids, 150, 5)],
        "FinancialUnblockNotice" => [Balance(ids, 5, 150)],
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "add the notice's trigger to this test"),
    };

    private async Task<Notice> LetterAsync(Ids ids, string kind) =>
        (await Eventually.MatchAsync(() => App.NoticesAsync(ids.Client), n => n.Any(x => x.Kind == kind), $"a {kind} letter")).First(n => n.Kind == kind);

    private async Task<Notice> DoneAsync(long id) =>
        await Eventually.MatchAsync(
            () => App.WithDbAsync(db => db.Notices.AsNoTracking().FirstAsync(n => n.Id == id)),
            n => n.Status is not (NoticeStatus.Pending or NoticeStatus.Sending),
            $"letter {id} to be done");

    private async Task PostAllAsync(IEnumerable<IEvent> events)
    {
        foreach (var evt in events)
        {
            await PostAsync(evt);
        }
    }

    /// <summary>Posts an event and waits until it was processed, so the next one sees its effects.</summary>
    private Task PostAsync(IEvent evt) => App.PostAndWaitAsync(evt);

    private ClientProfileChanged Profile(Ids ids, string[]? emails = null) => App.Events.Profile(ids.Client, emails ?? [ids.Email], locale: "en");

    private ContractChanged Contract(Ids ids, ContractState? from, ContractState to) => App.Events.Contract(ids.Client, from, to, ids.ContractId);

    private BalanceChanged Balance(Ids ids, decimal from, decimal to) => App.Events.Balance(ids.Client, from, to, ids.ContractId);

    private OrderCompleted Order(Ids ids) => App.Events.Order(ids.Client);

    private static ContractState Prepaid(bool accepted, bool isOffer, string[]? services = null) => new()
    {
        PaymentType = PaymentTypes.Prepaid,
        OfferAccepted = accepted,
        IsOffer = isOffer,
        Services = services ?? ["taxi"],
    };

    private static ContractState Postpaid(bool active, params string[] services) => new()
    {
        PaymentType = PaymentTypes.Postpaid,
        IsActive = active,
        OfferAccepted = true,
        Services = services,
        LowBalanceThreshold = 100,
        DeactivateThreshold = 25,
        LowBalanceNotificationsEnabled = true,
    };
}
