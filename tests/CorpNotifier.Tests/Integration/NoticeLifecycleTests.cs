using System.Text.Json.Nodes;
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

    /// <summary>The moderators' address (extra recipient of the staff letters) and the sales managers' domain.</summary>
    private const string Moderators = "moderators@staff.example";
    private const string StaffDomain = "staff.example";
    private static readonly string[] StaffKinds = ["ClientRequestCreatedNotice", "OfferScoringNotice", "TrialFollowUpNotice"];

    /// <summary>The Fernet key producers share with the service (<c>Secrets:FernetKeys</c>).</summary>
    private static readonly string FernetKey = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()).Replace('+', '-').Replace('/', '_');

    public sealed class Host : IDisposable
    {
        public TestHost Value { get; } = new(new Dictionary<string, string?>(
            StaffKinds.Select(kind => KeyValuePair.Create($"Notices:{kind}:ExtraRecipients:default:0", (string?)Moderators)))
        {
            ["Notices:StaffEmailDomain"] = StaffDomain,
            ["Secrets:FernetKeys:0"] = FernetKey,
        });

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
        var triggers = Trigger(kind, ids).ToList();
        await PostAllAsync(triggers);

        var notice = await LetterAsync(ids, kind);
        var offset = Catalog.Find(kind)!.DefaultOffset;
        // A delay counts from the event's moment (occurredAt); a notice without one is due when created.
        notice.SendAt.ShouldBe(offset > TimeSpan.Zero ? triggers.Single(e => e.EventId == notice.EventId).OccurredAt + offset : notice.CreatedAt);
        notice.Origin.ShouldBe(NoticeOrigin.Event);
        if (offset > TimeSpan.Zero)
        {
            notice.Status.ShouldBe(NoticeStatus.Pending);
            App.Clock.Advance(offset);
        }

        notice = await DoneAsync(notice.Id);
        notice.Status.ShouldBe(NoticeStatus.Sent, $"{notice.ReasonCode}: {notice.Reason}");
        notice.SentAt!.Value.ShouldBeGreaterThanOrEqualTo(notice.SendAt);
        var rule = Catalog.Find(kind)!;
        notice.SentTo.ShouldBe(rule.Audience switch
        {
            Audience.Staff => [Moderators],
            Audience.Manager => [$"m.smirnov@{StaffDomain}"],
            _ => [ids.Email],
        });
        notice.SentSlug.ShouldBe(rule.DefaultSlug);
        var args = notice.Args.Select(p => p.Key).ToList();
        args.ShouldBeSubsetOf(rule.Arguments);
        rule.RequiredArguments.ShouldBeSubsetOf(args);
        foreach (var secret in rule.SecretArguments.Where(notice.Args.ContainsKey))
        {
            notice.Args[secret]!.GetValue<string>().ShouldBe("***", $"{secret} is masked once sent");
        }

        var file = App.Letters().Where(f => Path.GetFileName(f).StartsWith($"{notice.Id:D8}-{kind}-", StringComparison.Ordinal)).ShouldHaveSingleItem();
        if (rule.SecretArguments.Count > 0 && rule.SecretArguments.Any(s => s != "temporary_password"))
        {
            File.ReadAllText(file).ShouldContain(Password, customMessage: "the mailer got the secret opened");
        }

        if (CodesAndWords.TryGetValue(kind, out var expected))
        {
            // What the mail service's campaign receives: the arguments the rule hands any mailer.
            var forMailer = rule.ForMailer(notice.Args.DeepClone().AsObject(), new MailerContext(_ => Password)).Args.ShouldNotBeNull();
            foreach (var (name, value) in JsonNode.Parse(expected.Campaign)!.AsObject())
            {
                JsonNode.DeepEquals(forMailer[name], value).ShouldBeTrue($"{kind} hands the mailer {name} = {forMailer[name]?.ToJsonString()}, not {value?.ToJsonString()}");
            }

            // What the file mailer wrote, from our own templates (the client's locale is en): words.
            var letter = await MimeKit.MimeMessage.LoadAsync(file);
            foreach (var words in expected.Words)
            {
                letter.TextBody!.ShouldContain(words, Case.Sensitive);
                letter.HtmlBody!.ShouldContain(words.Contains(": ", StringComparison.Ordinal) ? words.Split(": ", 2)[1] : words, Case.Sensitive);
            }
        }
    }

    /// <summary>
    /// For the letters whose arguments hold codes: what the campaign receives (the producer's codes,
    /// as this test's events send them; the manager letters' Russian display text), and the words
    /// our own English templates show people instead.
    /// </summary>
    private static readonly Dictionary<string, (string Campaign, string[] Words)> CodesAndWords = new()
    {
        ["ClientRequestCreatedNotice"] = ("""{ "contract_type": "taxi", "locale": "rus" }""", ["Contract type: Taxi", "Country: Russia"]),
        ["ClientRequestAcceptedNotice"] = ("""{ "contract_type": "taxi" }""", ["Contract type: Taxi"]),
        ["OfferScoringNotice"] = ("""{ "contract_type": "taxi" }""", ["Contract type: Taxi"]),
        ["ClientRequestRejectedNotice"] = ("""{ "contract_type": "taxi", "locale": "rus" }""", ["Contract type: Taxi"]),
        ["NewTrialClientNotice"] = ("""{ "contract_type": "taxi" }""", ["Contract type: Taxi"]),
        ["NewTrialAutoRegisteredClientNotice"] = ("""{ "contract_type": "taxi" }""", ["Contract type: Taxi"]),
        ["DuplicateTrialClientPermPassNotice"] = ("""{ "contract_type": "taxi" }""", ["contract type: Taxi"]),
        ["DuplicateTrialClientTmpPassNotice"] = ("""{ "contract_type": "taxi" }""", ["contract type: Taxi"]),
        ["TrialFollowUpNotice"] = ("""{ "locale": "rus" }""", ["Country: Russia"]),
        ["TaxiContractActivateNotice"] = ("""{ "reason": "debt", "is_active": false }""", ["Reason: Outstanding debt", "An operator has blocked contract"]),
        ["CargoContractActivateNotice"] = ("""{ "reason": "debt", "is_active": false }""", ["Reason: Outstanding debt", "An operator has blocked contract"]),
        ["TaxiContractActivatedFromManagerNotice"] = ("""{ "ContractType": "postpaid", "contract_type": "taxi" }""", ["Service: Taxi", "Contract type: Postpaid"]),
        ["CargoContractActivatedFromManagerNotice"] = ("""{ "ContractType": "postpaid", "contract_type": "cargo" }""", ["Service: Delivery", "Contract type: Postpaid"]),
        ["TaxiManagerRequestAcceptedNotice"] = ("""{ "status": "Принята", "service": "Такси", "contract_type": "Постоплата", "signer_duly_authorized": "Устав", "country": "rus" }""", ["Service: Такси", "Country: Russia"]),
        ["CargoManagerRequestAcceptedNotice"] = ("""{ "status": "Принята", "service": "Доставка", "contract_type": "Постоплата", "signer_duly_authorized": "Устав", "country": "rus" }""", ["Service: Доставка", "Country: Russia"]),
        ["TaxiManagerRequestRejectedNotice"] = ("""{ "status": "Отклонена", "service": "Такси", "contract_type": "Постоплата", "country": "rus" }""", ["Service: Такси", "Country: Russia"]),
        ["CargoManagerRequestRejectedNotice"] = ("""{ "status": "Отклонена", "service": "Доставка", "contract_type": "Постоплата", "country": "rus" }""", ["Service: Доставка", "Country: Russia"]),
    };

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
        data.Add("TrialFollowUpNotice", "dequeued by a request created 5 minutes later");
        data.Add("NewTrialAutoRegisteredClientNotice", ReasonCodes.UndecryptableSecret);
        data.Add("TaxiContractActivatedFromManagerNotice", ReasonCodes.UndecryptableSecret);
        data.Add("CargoContractActivatedFromManagerNotice", "at most once per manager request");
        foreach (var kind in new[] { "ClientRequestAcceptedNotice", "ClientRequestRejectedNotice", "NewTrialClientNotice", "DuplicateTrialClientPermPassNotice", "TaxiContractActivateNotice", "BigQuasiNotice" })
        {
            data.Add(kind, ReasonCodes.NoRecipient);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CancelAndRejectPaths))]
    public async Task A_notice_is_cancelled_or_rejected_with_its_reason(string kind, string path)
    {
        var ids = new Ids(kind, path);
        await PostAsync(Profile(ids, emails: path == ReasonCodes.NoRecipient ? [] : null));
        if (path == ReasonCodes.HasSuccessfulOrder)
        {
            await PostAsync(Order(ids));
        }

        var token = path == ReasonCodes.UndecryptableSecret ? TokenOfAnotherKey() : null;
        await PostAllAsync(Setup(kind, ids, token));
        await PostAllAsync(Trigger(kind, ids, services: path == ReasonCodes.NoTaxiService ? ["cargo"] : null, token: token));
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
            case "dequeued by a request created 5 minutes later":
                App.Clock.Advance(TimeSpan.FromMinutes(5));
                var request = App.Events.RequestCreated(ids.Client, requestId: $"request-{ids.Client}");
                await PostAsync(request);
                await ExpectDequeuedAsync(notice, request.EventId);
                App.Letters().ShouldNotContain(f => Path.GetFileName(f).StartsWith($"{notice.Id:D8}-", StringComparison.Ordinal));
                break;
            case "at most once per manager request":
                await DoneAsync(notice.Id);
                await PostAsync(Contract(ids, Postpaid(active: true, "cargo"), Postpaid(active: false, "cargo")));
                await PostAsync(Contract(ids, Postpaid(active: false, "cargo"), Postpaid(active: true, "cargo")));
                (await App.NoticesAsync(ids.Client)).Count(n => n.Kind is "CargoContractActivatedFromManagerNotice" or "TaxiContractActivatedFromManagerNotice").ShouldBe(1);
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

    private IEnumerable<IEvent> Setup(string kind, Ids ids, string? token = null) => kind switch
    {
        "LowBalanceNotice" or "LimitIsOverNotice" or "LimitIsOverRemindNotice" or "FinancialUnblockNotice" or "TaxiContractActivateNotice" or "BigQuasiNotice" =>
            [Contract(ids, Postpaid(active: true, "taxi"), Postpaid(active: true, "taxi"))],
        "CargoContractActivateNotice" => [Contract(ids, Postpaid(active: true, "cargo"), Postpaid(active: true, "cargo"))],
        "TaxiContractActivatedFromManagerNotice" or "CargoContractActivatedFromManagerNotice" =>
            [App.Events.ManagerRequest(ids.Client, "pending", "accepted", requestId: $"request-{ids.Client}", service: ServiceOf(kind), requestClientId: ids.Client, temporaryPassword: token ?? Token())],
        _ => [],
    };

    private static string ServiceOf(string kind) => kind.StartsWith("Cargo", StringComparison.Ordinal) ? "cargo" : "taxi";

    /// <summary>The password producers encrypt, and its token as they send it.</summary>
    private const string Password = "Tmp-Pass-42";

    private static string Token() => CorpNotifier.Secrets.Fernet.Encrypt(CorpNotifier.Secrets.FernetKey.Parse(FernetKey), System.Text.Encoding.UTF8.GetBytes(Password), DateTimeOffset.UtcNow);

    private static string TokenOfAnotherKey() => CorpNotifier.Secrets.Fernet.Encrypt(
        CorpNotifier.Secrets.FernetKey.Parse(Convert.ToBase64String(new byte[32]).Replace('+', '-').Replace('/', '_')), System.Text.Encoding.UTF8.GetBytes(Password), DateTimeOffset.UtcNow);

    private IEnumerable<IEvent> Trigger(string kind, Ids ids, string[]? services = null, string? token = null) => kind switch
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
        "ClientRequestCreatedNotice" => [App.Events.RequestCreated(ids.Client, requestId: $"request-{ids.Client}")],
        "ClientRequestAcceptedNotice" or "OfferScoringNotice" => [App.Events.RequestStatus(ids.Client, "pending", "accepted", requestId: $"request-{ids.Client}")],
        "ClientRequestRejectedNotice" => [App.Events.RequestStatus(ids.Client, "pending", "rejected", requestId: $"request-{ids.Client}", rejectReason: "no documents")],
        "TaxiManagerRequestAcceptedNotice" or "CargoManagerRequestAcceptedNotice" =>
            [App.Events.ManagerRequest(ids.Client, "accepting", "accepted", requestId: $"request-{ids.Client}", service: ServiceOf(kind))],
        "TaxiManagerRequestRejectedNotice" or "CargoManagerRequestRejectedNotice" =>
            [App.Events.ManagerRequest(ids.Client, "pending", "rejected", requestId: $"request-{ids.Client}", service: ServiceOf(kind), reason: "duplicate company")],
        "NewTrialClientNotice" => [App.Events.Trial(ids.Client)],
        "NewTrialAutoRegisteredClientNotice" => [App.Events.Trial(ids.Client, TrialFlows.RegisterTrial, encryptedPassword: token ?? Token())],
        "TrialFollowUpNotice" => [App.Events.Trial(ids.Client)],
        "DuplicateTrialClientPermPassNotice" => [App.Events.DuplicateTrial(ids.Client, used: true)],
        "DuplicateTrialClientTmpPassNotice" => [App.Events.DuplicateTrial(ids.Client, used: false)],
        "TaxiContractActivateNotice" or "CargoContractActivateNotice" => [App.Events.ContractSettings(ids.Client, wasActive: true, isActive: false, contractId: ids.ContractId)],
        "BigQuasiNotice" => [App.Events.Threshold(ids.Client, "standard", "big_quasi", contractId: ids.ContractId)],
        "TaxiContractActivatedFromManagerNotice" or "CargoContractActivatedFromManagerNotice" => [Contract(ids, null, Postpaid(active: true, ServiceOf(kind)))],
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
