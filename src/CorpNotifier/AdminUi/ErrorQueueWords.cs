using CorpNotifier.Admin;

namespace CorpNotifier.AdminUi;

/// <summary>Why an error queue could not be read or changed, in the console's language.</summary>
public static class ErrorQueueWords
{
    public static string Problem(UiText text, ErrorQueueProblem problem, string queue, string? detail) => problem switch
    {
        ErrorQueueProblem.InMemoryBus => text.T(
            "The service runs on the in-memory bus, which keeps no error queues: a message that faults stays inside the service's process and is gone when it stops. Error queues exist with Transport=RabbitMq.",
            "Сервис работает на шине в памяти, у которой нет очередей ошибок: сбойное сообщение остаётся внутри процесса сервиса и пропадает, когда он останавливается. Очереди ошибок есть при Transport=RabbitMq."),
        ErrorQueueProblem.NotOurs => text.T($"'{queue}' is not one of this service's error queues.", $"«{queue}» — не очередь ошибок этого сервиса."),
        ErrorQueueProblem.Unreachable => text.T("RabbitMQ could not be reached: ", "RabbitMQ недоступен: ") + detail,
        _ => text.T("RabbitMQ refused: ", "RabbitMQ отказал: ") + detail,
    };
}
