using System.Globalization;
using System.Text.RegularExpressions;
using CorpNotifier.Admin;
using CorpNotifier.Hosting;
using CorpNotifier.Notices;
using CorpNotifier.Rules;

namespace CorpNotifier.AdminUi;

/// <summary>One step of a letter's timeline in words: what happened, and its particulars (null when there are none).</summary>
public sealed record StepWords(string Title, string? Detail, bool ShowActor);

/// <summary>
/// A letter's statuses, origins, reasons, refusals and timeline steps in words, in the console's
/// language. The ledger stores each step's detail as an English sentence (the API shows it as it
/// is); the console tells the step again from its type and its data, and shows the stored sentence
/// only for a step it does not know how to read.
/// </summary>
public static partial class LetterWords
{
    /// <summary>A status as the API names it (<c>dequeued</c>), in words.</summary>
    public static string Status(UiText text, string status) => status switch
    {
        "pending" => text.T("pending", "ожидает"),
        "sending" => text.T("sending", "отправляется"),
        "sent" => text.T("sent", "отправлено"),
        "dequeued" => text.T("dequeued", "снято с очереди"),
        "rejected" => text.T("rejected", "отклонено"),
        "failed" => text.T("failed", "ошибка"),
        "shadowed" => text.T("shadowed", "в тени"),
        _ => status,
    };

    /// <summary>What created the letter: an event, an operator's manual send, or a re-send.</summary>
    public static string Origin(UiText text, string origin) => origin switch
    {
        "event" => text.T("an event", "событие"),
        "manual" => text.T("a manual send", "ручная отправка"),
        "resend" => text.T("a re-send", "повторная отправка"),
        _ => origin,
    };

    /// <summary>What a reason code means to an operator.</summary>
    public static string Reason(UiText text, string? code) => code switch
    {
        null => "",
        ReasonCodes.Disabled => text.T("The letter is switched off in its settings.", "Письмо выключено в настройках."),
        ReasonCodes.NoSlug => text.T("No template is set for the client's country.", "Для страны клиента не задан шаблон."),
        ReasonCodes.NoRecipient => text.T("Nobody to send it to: the client has no address.", "Некому отправить: у клиента нет адреса."),
        ReasonCodes.NoTaxiService => text.T("The contract has no taxi service.", "В договоре нет услуги такси."),
        ReasonCodes.HasSuccessfulOrder => text.T("The client has already ordered successfully.", "Клиент уже успешно сделал заказ."),
        ReasonCodes.UnknownKind => text.T("This version does not know the letter's kind.", "Эта версия не знает такой вид письма."),
        ReasonCodes.UnknownClient => text.T("The client directory does not know the client yet.", "Справочник клиентов пока не знает клиента."),
        ReasonCodes.MailerRejected => text.T("The mail service refused the letter.", "Почтовый сервис отказался принять письмо."),
        ReasonCodes.MailerFailed => text.T("The mail service could not be reached or failed.", "Почтовый сервис недоступен или ответил ошибкой."),
        ReasonCodes.TooManyAttempts => text.T("Every attempt failed; the service gave up.", "Все попытки не удались; сервис прекратил попытки."),
        ReasonCodes.RetryScheduled => text.T("The last attempt failed; another is scheduled.", "Последняя попытка не удалась; назначена следующая."),
        ReasonCodes.UndecryptableSecret => text.T("A secret in the letter could not be opened.", "Секрет в письме не удалось расшифровать."),
        _ => code,
    };

    /// <summary>
    /// Whether the stored reason says more than its code's words in this language: the mail
    /// service's own error (whatever the language), or the English particulars in English.
    /// </summary>
    public static bool ShowsStoredReason(UiText text, string? code) =>
        code is ReasonCodes.MailerRejected or ReasonCodes.MailerFailed or ReasonCodes.TooManyAttempts or ReasonCodes.RetryScheduled
        || (!text.Russian && code is not null);

    /// <summary>
    /// Why a letter is where it is, in a line: cancelled by an operator or dequeued by an event
    /// (never the one for the other), or its reason code in words; null when there is nothing to say.
    /// </summary>
    public static string? Why(UiText text, NoticeView notice) => notice switch
    {
        { Status: "dequeued", DequeuedBy: { } operatorName } => text.T($"cancelled by operator {operatorName}", $"отменено оператором {operatorName}"),
        { Status: "dequeued", DequeuedByEventId: { } eventId } => text.T($"dequeued by event {eventId}", $"снято с очереди событием {eventId}"),
        { ReasonCode: { } code } => Reason(text, code),
        _ => null,
    };

    /// <summary>
    /// A letter's due moment in its recipient's time with UTC beside it, <c>2026-12-10 09:00
    /// Europe/Moscow (06:00 UTC)</c> (UTC's date too when it is another day); UTC alone when the
    /// recipient's time is not known (a sent letter, a list of many clients' letters).
    /// </summary>
    public static string DueMoment(NoticeView notice)
    {
        if (notice is not { SendAtLocal: { } local, TimeZone: { } zone })
        {
            return UiText.Moment(notice.SendAt);
        }

        var utc = notice.SendAt.UtcDateTime;
        var sameDay = local.StartsWith(utc.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), StringComparison.Ordinal);
        return $"{local} {zone} ({utc.ToString(sameDay ? "HH:mm" : "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC)";
    }

    /// <summary>Why a pending letter waits (<see cref="NoticeView.WaitsFor"/>) in words; null when it waits for nothing or is not pending.</summary>
    public static string? Waits(UiText text, NoticeView notice) => notice.WaitsFor switch
    {
        null => null,
        WaitReasons.Delay => text.T("waits for its delay", "ждёт положенной задержки"),
        WaitReasons.Window => text.T("waits for the send window", "ждёт окна отправки"),
        WaitReasons.Retry => text.T("waits to try again after a failed attempt", "ждёт новой попытки после неудачной"),
        WaitReasons.Scheduled => text.T("waits for the time an operator chose", "ждёт времени, выбранного оператором"),
        var code => code,
    };

    /// <summary>
    /// When a letter not yet sent goes and why it waits: <c>2026-12-10 09:00 Europe/Moscow (06:00 UTC) —
    /// waits for the send window</c>; a pending letter due already <c>— goes now</c>.
    /// </summary>
    public static string Due(UiText text, NoticeView notice) =>
        DueMoment(notice) + (Waits(text, notice) is { } why ? " — " + why
            : notice.Status == "pending" ? " — " + text.T("goes now", "уходит сейчас")
            : "");

    /// <summary>Why an action on a letter was refused, from its code (<see cref="Admin.Refusal"/>'s wire name, <c>not_found</c>, <c>not_saved</c>); null for a code it does not know.</summary>
    public static string? Refusal(UiText text, string? code) => code switch
    {
        "being_sent" => text.T("The letter is being sent right now and can no longer be cancelled.", "Письмо как раз отправляется, отменить его уже нельзя."),
        "not_pending" => text.T("Only a pending letter can be cancelled.", "Отменить можно только ожидающее письмо."),
        "not_cancelled" => text.T("Only a letter an operator cancelled can be restored.", "Восстановить можно только письмо, отменённое оператором."),
        "dequeued_by_event" => text.T("An event dequeued this letter, not an operator: it stays dequeued.", "Письмо сняло с очереди событие, а не оператор: оно так и останется снятым."),
        "past_due" => text.T("The letter's time has passed: send a new one instead.", "Срок письма прошёл: отправьте вместо него новое."),
        "not_sent_yet" => text.T("The letter has not been sent yet: there is nothing to send again.", "Письмо ещё не отправлено: повторять нечего."),
        "secret_gone" => text.T("The letter carried a secret that is no longer stored: send a new letter by hand instead.", "В письме был секрет, который больше не хранится: отправьте вместо него новое письмо вручную."),
        "resend_under_way" => text.T("A re-send of this letter is already under way.", "Повторная отправка этого письма уже идёт."),
        "not_found" => text.T("There is no such letter.", "Такого письма нет."),
        "not_saved" => text.T(
            "Nothing was changed: an action and its audit record are saved together, and they could not be. Try again.",
            "Ничего не изменено: действие и запись аудита сохраняются вместе, а сохранить их не удалось. Попробуйте ещё раз."),
        _ => null,
    };

    /// <summary>What the send path would decide for a preview, in words; <paramref name="ifSent"/> when it would send it.</summary>
    public static string Decision(UiText text, LetterPreview preview, string ifSent) => preview.Decision switch
    {
        null => ifSent,
        LetterPreview.Shadow => text.T("Shadow mode: it would be recorded, not sent.", "Теневой режим: письмо будет записано, но не отправлено."),
        var code => text.T($"It would be stopped: {Reason(text, code)}", $"Оно будет остановлено: {Reason(text, code)}")
            + (ShowsStoredReason(text, code) && preview.DecisionDetail is { } detail ? $" ({detail})" : ""),
    };

    /// <summary>Why a preview could not be rendered, in words.</summary>
    public static string? PreviewProblem(UiText text, LetterPreview preview) => preview.Problem switch
    {
        null => null,
        AdminUi.PreviewProblem.UnknownKind => text.T($"This version knows no notice of kind '{preview.ProblemDetail}'.", $"Эта версия не знает уведомлений вида «{preview.ProblemDetail}»."),
        AdminUi.PreviewProblem.DirectoryUnavailable => text.T("The client directory did not answer: ", "Справочник клиентов не ответил: ") + preview.ProblemDetail,
        AdminUi.PreviewProblem.NoSlug => text.T("There is no template (slug) for this letter's country.", "Для страны этого письма нет шаблона."),
        _ => text.T("The template cannot be rendered: ", "Шаблон не удалось отрисовать: ") + preview.ProblemDetail,
    };

    /// <summary>A timeline step told from its type and data, in the console's language.</summary>
    public static StepWords Step(UiText text, TimelineEntryView step, NoticeView notice)
    {
        var type = WireName.Parse<TimelineEntryType>(step.Type);
        var detail = step.Detail ?? "";
        var actor = step.Actor;
        switch (type)
        {
            case TimelineEntryType.Created when CreatedDetail().Match(detail) is { Success: true } m:
                var due = Due(m.Groups["due"].Value);
                var cause = m.Groups["cause"].Value;
                var how = ByEvent().Match(cause) is { Success: true } e ? text.T($"by event {e.Groups[1].Value}", $"событием {e.Groups[1].Value}")
                    : ResendOf().Match(cause) is { Success: true } r ? text.T($"as a re-send of #{r.Groups[1].Value}", $"как повтор письма #{r.Groups[1].Value}")
                    : cause.StartsWith("manual by ", StringComparison.Ordinal) ? text.T("by hand", "вручную")
                    : Origin(text, notice.Origin);
                return new StepWords(Title(text, type), text.T($"{how}, due {due}", $"{how}, срок {due}"), true);
            case TimelineEntryType.Claimed when Attempt().Match(detail) is { Success: true } m:
                return new StepWords(Title(text, type), text.T($"attempt {m.Groups[1].Value}", $"попытка {m.Groups[1].Value}"), true);
            case TimelineEntryType.AttemptFailed when AttemptFailed().Match(detail) is { Success: true } m:
                var next = Due(m.Groups["next"].Value);
                var n = m.Groups["n"].Value;
                var error = UnknownClient().Match(m.Groups["error"].Value) is { Success: true } unknown
                    ? text.T($"the client directory does not know client {unknown.Groups[1].Value} yet", $"справочник клиентов пока не знает клиента {unknown.Groups[1].Value}")
                    : m.Groups["error"].Value;
                return new StepWords(Title(text, type), text.T($"attempt {n}: {error}; the next one at {next}", $"попытка {n}: {error}; следующая — {next}"), true);
            case TimelineEntryType.RecipientAccepted when Accepted().Match(detail) is { Success: true } m:
                var id = m.Groups["id"].Success ? m.Groups["id"].Value : null;
                return new StepWords(
                    Title(text, type),
                    m.Groups["to"].Value + (id is null ? "" : text.T($", message id {id}", $", id сообщения {id}")),
                    true);
            case TimelineEntryType.Rejected or TimelineEntryType.Failed when Outcome().Match(detail) is { Success: true } m:
                var code = m.Groups["code"].Value;
                var why = Reason(text, code);
                return new StepWords(Title(text, type), ShowsStoredReason(text, code) ? $"{why} {m.Groups["reason"].Value}" : why, true);
            case TimelineEntryType.Shadowed when Shadowed().Match(detail) is { Success: true } m:
                var slug = m.Groups["slug"].Value;
                var count = m.Groups["count"].Value;
                return new StepWords(
                    Title(text, type),
                    text.T($"it would have gone out with {slug} to {count} recipient(s)", $"ушло бы по шаблону {slug}, получателей: {count}"),
                    true);
            case TimelineEntryType.Dequeued when actor is not null && detail == $"cancelled by {actor}":
                return new StepWords(text.T("Cancelled", "Отменено"), text.T($"by operator {actor}", $"оператором {actor}"), false);
            case TimelineEntryType.Dequeued when actor is not null && detail.Contains("which happened later", StringComparison.Ordinal):
                return new StepWords(
                    text.T("Dequeued", "Снято с очереди"),
                    text.T($"by event {actor}, which happened later but was processed first", $"событием {actor}, которое произошло позже, но было обработано раньше"),
                    false);
            case TimelineEntryType.Dequeued when actor is not null && DequeuedBy().Match(detail) is { Success: true } m:
                return new StepWords(text.T("Dequeued", "Снято с очереди"), text.T($"by event {actor} ({m.Groups[1].Value})", $"событием {actor} ({m.Groups[1].Value})"), false);
            case TimelineEntryType.Restored when actor is not null:
                return new StepWords(Title(text, type), text.T($"by operator {actor}", $"оператором {actor}"), false);
            case TimelineEntryType.LeaseExpired:
                return new StepWords(
                    Title(text, type),
                    text.T("the instance that took the letter did not finish in time; it is tried again", "экземпляр, взявший письмо, не закончил вовремя; будет новая попытка"),
                    true);
            case TimelineEntryType.MessagePublished when Published().Match(detail) is { Success: true } m:
                return new StepWords(
                    Title(text, type),
                    text.T($"{m.Groups["type"].Value}, message id {m.Groups["id"].Value}", $"{m.Groups["type"].Value}, id сообщения {m.Groups["id"].Value}"),
                    true);
            case TimelineEntryType.Held when Held().Match(detail) is { Success: true } m:
                return new StepWords(Title(text, type), text.T($"until {m.Groups[1].Value}", $"до {m.Groups[1].Value}"), true);
            case TimelineEntryType.Sent:
                return new StepWords(Title(text, type), null, true);
            default:
                // A sentence this version cannot read (written by another version): shown as stored.
                return new StepWords(Title(text, type), step.Detail, true);
        }
    }

    /// <summary>What a step of its type is called.</summary>
    public static string Title(UiText text, TimelineEntryType type) => type switch
    {
        TimelineEntryType.Created => text.T("Created", "Создано"),
        TimelineEntryType.Claimed => text.T("Taken for sending", "Взято в отправку"),
        TimelineEntryType.AttemptFailed => text.T("Attempt failed", "Попытка не удалась"),
        TimelineEntryType.RecipientAccepted => text.T("Accepted for a recipient", "Принято для получателя"),
        TimelineEntryType.Sent => text.T("Sent", "Отправлено"),
        TimelineEntryType.Rejected => text.T("Rejected", "Отклонено"),
        TimelineEntryType.Failed => text.T("Failed", "Ошибка"),
        TimelineEntryType.Dequeued => text.T("Dequeued", "Снято с очереди"),
        TimelineEntryType.Restored => text.T("Restored", "Восстановлено"),
        TimelineEntryType.Shadowed => text.T("Recorded in shadow mode, not sent", "Записано в теневом режиме, не отправлено"),
        TimelineEntryType.LeaseExpired => text.T("Sending interrupted; taken back", "Отправка прервалась; письмо возвращено"),
        TimelineEntryType.MessagePublished => text.T("Message published", "Сообщение опубликовано"),
        TimelineEntryType.Held => text.T("Held for the send window", "Ждёт окна отправки"),
        TimelineEntryType.RecipientSkipped => text.T("Recipient skipped", "Получатель пропущен"),
        TimelineEntryType.Delivered => text.T("Delivered", "Доставлено"),
        TimelineEntryType.Deferred => text.T("Delivery deferred", "Доставка откладывается"),
        TimelineEntryType.Bounced => text.T("Bounced", "Не доставлено (отказ)"),
        TimelineEntryType.Complained => text.T("Marked as spam", "Отмечено как спам"),
        _ => type.ToString(),
    };

    /// <summary>good, bad or nothing: the dot's colour on the timeline.</summary>
    public static string? Tone(TimelineEntryType type) => type switch
    {
        TimelineEntryType.Sent or TimelineEntryType.RecipientAccepted or TimelineEntryType.Delivered => "good",
        TimelineEntryType.AttemptFailed or TimelineEntryType.Rejected or TimelineEntryType.Failed or TimelineEntryType.LeaseExpired
            or TimelineEntryType.Bounced or TimelineEntryType.Complained or TimelineEntryType.RecipientSkipped => "bad",
        _ => null,
    };

    /// <summary>
    /// What processing an event did (<see cref="EventSummary.Outcome"/>, stored as
    /// <c>enqueued 2, dequeued 1[, already sent before 1][; contract unknown][ (after waiting)]</c>,
    /// or a parked event's <c>[discarded while ][expired ]waiting for contract c-7</c>) in words; the
    /// stored text when it reads otherwise.
    /// </summary>
    public static string EventOutcome(UiText text, string? outcome)
    {
        if (outcome is null)
        {
            return "—";
        }

        if (ParkedOutcome().Match(outcome) is { Success: true } parked)
        {
            var what = EventWords.Missing(text, parked.Groups["what"].Value == "contract" ? "contract" : "client", parked.Groups["id"].Value);
            return (parked.Groups["discarded"].Success, parked.Groups["expired"].Success) switch
            {
                (true, true) => text.T($"discarded after expiring waiting for {what}", $"отброшено, не дождавшись: {what}"),
                (true, false) => text.T($"discarded while waiting for {what}", $"отброшено, пока ждало: {what}"),
                (false, true) => text.T($"expired waiting for {what}", $"не дождалось: {what}"),
                _ => text.T($"waiting for {what}", $"ждёт: {what}"),
            };
        }

        if (EventOutcomePattern().Match(outcome) is not { Success: true } m)
        {
            return outcome;
        }

        var created = m.Groups["created"].Value;
        var dequeued = m.Groups["dequeued"].Value;
        var words = text.T($"created {created}, dequeued {dequeued}", $"создано {created}, снято с очереди {dequeued}");
        if (m.Groups["before"].Success)
        {
            words += text.T($", {m.Groups["before"].Value} already sent before", $", {m.Groups["before"].Value} уже отправлено ранее");
        }

        if (m.Groups["unknown"].Success)
        {
            words += text.T("; the contract is not known yet", "; договор пока неизвестен");
        }

        if (m.Groups["after"].Success)
        {
            words += text.T(", after waiting for its data", ", после ожидания данных");
        }

        return words;
    }

    private static string Due(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) ? UiText.Moment(at) : text;

    [GeneratedRegex(@"^(?<cause>.+), due (?<due>\S+)$")]
    private static partial Regex CreatedDetail();

    [GeneratedRegex(@"^by (\w+)$")]
    private static partial Regex ByEvent();

    [GeneratedRegex(@"^resend of (\d+) by ")]
    private static partial Regex ResendOf();

    [GeneratedRegex(@"^attempt (\d+)$")]
    private static partial Regex Attempt();

    [GeneratedRegex(@"^attempt (?<n>\d+) failed: (?<error>.*); next attempt at (?<next>\S+)$", RegexOptions.Singleline)]
    private static partial Regex AttemptFailed();

    [GeneratedRegex(@"^client (.+) is not known to the client directory$")]
    private static partial Regex UnknownClient();

    [GeneratedRegex(@"^(?<to>\S+) accepted(?:, message id (?<id>.+))?$")]
    private static partial Regex Accepted();

    [GeneratedRegex(@"^(?<code>[a-z_]+): (?<reason>.*)$", RegexOptions.Singleline)]
    private static partial Regex Outcome();

    [GeneratedRegex(@"^shadow mode: would have sent (?<slug>.+) to (?<count>\d+) recipient\(s\)$")]
    private static partial Regex Shadowed();

    /// <summary>An event's dequeue: "dequeued by BalanceChanged" (stored before the words were settled: "cancelled by …").</summary>
    [GeneratedRegex(@"^(?:dequeued|cancelled) by (\w+)$")]
    private static partial Regex DequeuedBy();

    [GeneratedRegex(@"^held for the send window until (.+)$")]
    private static partial Regex Held();

    [GeneratedRegex(@"^(?<type>\w+) published, message id (?<id>.+)$")]
    private static partial Regex Published();

    /// <summary>A parked event's outcome: "waiting for contract c-7", "expired waiting for …", "discarded while [expired ]waiting for …".</summary>
    [GeneratedRegex(@"^(?<discarded>discarded while )?(?<expired>expired )?waiting for (?<what>contract|client profile) (?<id>.+)$")]
    private static partial Regex ParkedOutcome();

    [GeneratedRegex(@"^enqueued (?<created>\d+), dequeued (?<dequeued>\d+)(?:, already sent before (?<before>\d+))?(?<unknown>; contract unknown)?(?<after> \(after waiting\))?$")]
    private static partial Regex EventOutcomePattern();
}
