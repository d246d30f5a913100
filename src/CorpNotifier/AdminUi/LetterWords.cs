using CorpNotifier.Notices;
using CorpNotifier.Rules;

namespace CorpNotifier.AdminUi;

/// <summary>A letter's reasons and timeline steps in words, in the console's language.</summary>
public static class LetterWords
{
    /// <summary>What a reason code means to an operator; the stored detail follows it on the page.</summary>
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

    public static string Step(UiText text, TimelineEntryType type) => type switch
    {
        TimelineEntryType.Created => text.T("Created", "Создано"),
        TimelineEntryType.Claimed => text.T("Taken for sending", "Взято в отправку"),
        TimelineEntryType.AttemptFailed => text.T("Attempt failed", "Попытка не удалась"),
        TimelineEntryType.RecipientAccepted => text.T("Accepted for a recipient", "Принято для получателя"),
        TimelineEntryType.Sent => text.T("Sent", "Отправлено"),
        TimelineEntryType.Rejected => text.T("Rejected", "Отклонено"),
        TimelineEntryType.Failed => text.T("Failed", "Ошибка"),
        TimelineEntryType.Dequeued => text.T("Cancelled", "Отменено"),
        TimelineEntryType.Restored => text.T("Restored", "Восстановлено"),
        TimelineEntryType.Shadowed => text.T("Recorded in shadow mode, not sent", "Записано в теневом режиме, не отправлено"),
        TimelineEntryType.LeaseExpired => text.T("Sending interrupted; taken back", "Отправка прервалась; письмо возвращено"),
        TimelineEntryType.MessagePublished => text.T("Message published", "Сообщение опубликовано"),
        _ => type.ToString(),
    };

    /// <summary>good, bad or nothing: the dot's colour on the timeline.</summary>
    public static string? Tone(TimelineEntryType type) => type switch
    {
        TimelineEntryType.Sent or TimelineEntryType.RecipientAccepted => "good",
        TimelineEntryType.AttemptFailed or TimelineEntryType.Rejected or TimelineEntryType.Failed or TimelineEntryType.LeaseExpired => "bad",
        _ => null,
    };
}
