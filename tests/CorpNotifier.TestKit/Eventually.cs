using System.Collections;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CorpNotifier.TestKit;

/// <summary>Waits for asynchronous work (consumers, the sweeper, a process) to reach an observable state.</summary>
public static class Eventually
{
    /// <summary>How long a wait lasts unless the caller says otherwise.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The first polls come quickly, for the short waits most tests have…</summary>
    private static readonly TimeSpan FastPoll = TimeSpan.FromMilliseconds(50);

    /// <summary>…and after this long the polls slow down, so a long wait does not load the servers it watches.</summary>
    private static readonly TimeSpan FastPhase = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan SlowPoll = TimeSpan.FromMilliseconds(100);

    private static readonly JsonSerializerOptions Json = new() { ReferenceHandler = ReferenceHandler.IgnoreCycles };

    /// <summary>
    /// Polls <paramref name="probe"/> until <paramref name="done"/> holds and returns the value that
    /// satisfied it. On timeout, fails naming <paramref name="what"/> it waited for, the last value
    /// it saw and whatever <paramref name="diagnostics"/> adds (a process's log, say).
    /// </summary>
    public static async Task<T> MatchAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? timeout = null, Func<string>? diagnostics = null)
    {
        var started = DateTime.UtcNow;
        var deadline = started + (timeout ?? DefaultTimeout);
        T value;
        while (!done(value = await probe()))
        {
            var now = DateTime.UtcNow;
            if (now > deadline)
            {
                var message = $"Timed out waiting for {what}; last value: {Describe(value)}";
                throw new TimeoutException(diagnostics is null ? message : $"{message}\n{diagnostics()}");
            }

            await Task.Delay(now - started < FastPhase ? FastPoll : SlowPoll);
        }

        return value;
    }

    /// <summary>A value as a failure message shows it: text as it is, a collection item by item, numbers, moments and tuples as text, anything else as JSON.</summary>
    public static string Describe(object? value) => value switch
    {
        null => "null",
        string text => text,
        IEnumerable items => $"[{string.Join("; ", items.Cast<object?>().Select(Describe))}]",
        IFormattable or bool or System.Runtime.CompilerServices.ITuple => value.ToString() ?? "",
        _ => AsJson(value),
    };

    private static string AsJson(object value)
    {
        try
        {
            return JsonSerializer.Serialize(value, value.GetType(), Json);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
        {
            return value.ToString() ?? value.GetType().Name;
        }
    }
}
