namespace CorpNotifier.SystemTests;

public static class Eventually
{
    /// <summary>Polls until the asynchronous system reaches a state; fails naming what it waited for and what it last saw.</summary>
    public static async Task<T> MatchAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? timeout = null, Func<string>? diagnostics = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        T value;
        while (!done(value = await probe()))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what}; last value: {Describe(value)}\n{diagnostics?.Invoke()}");
            }

            await Task.Delay(100);
        }

        return value;
    }

    private static string Describe<T>(T value) => value switch
    {
        System.Collections.IEnumerable items and not string => string.Join("; ", items.Cast<object>().Select(Describe)),
        CorpNotifier.Notices.Notice n => $"#{n.Id} {n.Kind} {n.Status} {n.ReasonCode} {n.Reason}",
        _ => value?.ToString() ?? "null",
    };
}
