using System.Collections.Concurrent;
using System.Text;

namespace CorpNotifier.Hosting;

/// <summary>
/// How an enum value is written wherever it leaves the process — a database column, an API field,
/// a metric tag, a log line: lower-case snake case (<c>Pending</c> → <c>pending</c>,
/// <c>AttemptFailed</c> → <c>attempt_failed</c>). One spelling, read the same way back.
/// </summary>
public static class WireName
{
    private static readonly ConcurrentDictionary<Enum, string> Names = new();

    public static string Of<T>(T value)
        where T : struct, Enum =>
        Names.GetOrAdd(value, static v =>
        {
            var name = v.ToString();
            var snake = new StringBuilder(name.Length + 4);
            for (var i = 0; i < name.Length; i++)
            {
                if (char.IsUpper(name[i]) && i > 0)
                {
                    snake.Append('_');
                }

                snake.Append(char.ToLowerInvariant(name[i]));
            }

            return snake.ToString();
        });

    public static T Parse<T>(string wire)
        where T : struct, Enum =>
        Enum.Parse<T>(wire.Replace("_", "", StringComparison.Ordinal), ignoreCase: true);
}
