using CorpNotifier.Admin;
using CorpNotifier.Hosting;
using CorpNotifier.Intake;

namespace CorpNotifier.AdminUi;

/// <summary>How the console words an event's state: its status, what a parked event lacks, and why an action on it was refused.</summary>
public static class EventWords
{
    /// <summary>An event's status (<c>processed</c>, <c>waiting</c>, <c>expired</c>, <c>discarded</c>) in words.</summary>
    public static string Status(UiText text, string status) => status switch
    {
        "processed" => text.T("processed", "обработано"),
        "waiting" => text.T("waiting for its data", "ждёт данных"),
        "expired" => text.T("expired waiting", "не дождалось данных"),
        "discarded" => text.T("discarded", "отброшено"),
        _ => status,
    };

    /// <summary>What a parked event lacks: "contract c-7", "client profile client-1".</summary>
    public static string Missing(UiText text, string? missing, string? missingId) => missing switch
    {
        "contract" => text.T($"contract {missingId}", $"договор {missingId}"),
        "client" => text.T($"client profile {missingId}", $"профиль клиента {missingId}"),
        null => "—",
        _ => $"{missing} {missingId}",
    };

    /// <summary>What was done, as the action's address names it (<c>done=…</c>).</summary>
    public static string? Done(UiText text, string? done) => done switch
    {
        "rerun" => text.T("The event ran: its data has come.", "Событие обработано: данные поступили."),
        "discarded" => text.T("The event is discarded; it will not be processed.", "Событие отброшено; оно не будет обработано."),
        _ => null,
    };

    /// <summary>Why an action on the event was refused, as the action's address names it (<c>problem=…</c>), with what it still lacks.</summary>
    public static string Refusal(UiText text, string problem, EventDetailView? view) => problem switch
    {
        "still_missing" when view is not null => view.Status == "expired"
            ? text.T($"{Missing(text, view.Missing, view.MissingId)} is still not known: the event stays expired.", $"{Missing(text, view.Missing, view.MissingId)} всё ещё неизвестен: событие остаётся просроченным.")
            : text.T($"{Missing(text, view.Missing, view.MissingId)} is still not known: the event keeps waiting.", $"{Missing(text, view.Missing, view.MissingId)} всё ещё неизвестен: событие продолжает ждать."),
        "still_missing" => text.T("Its data is still not known: the event keeps waiting.", "Его данные всё ещё неизвестны: событие продолжает ждать."),
        "not_parked" => text.T("The event is no longer waiting or expired: nothing was done.", "Событие уже не ждёт и не просрочено: ничего не сделано."),
        "not_found" => text.T("There is no such event.", "Такого события нет."),
        "not_saved" => text.T("Nothing was changed: the action and its audit record could not be saved together. Try again.", "Ничего не изменено: действие и запись аудита не удалось сохранить вместе. Попробуйте ещё раз."),
        _ => text.T("The action was not possible.", "Действие невозможно."),
    };

    /// <summary>The wire name of a refusal, for the action's redirect.</summary>
    public static string Of(EventRefusal refusal) => WireName.Of(refusal);

    /// <summary>The wire name of an event status, as views carry it.</summary>
    public static string Of(EventStatus status) => WireName.Of(status);
}
