namespace CorpNotifier.Hosting;

public enum TransportKind { InMemory, RabbitMq }

public enum DatabaseKind { Sqlite, Postgres }

public enum MailerKind { File, Sender, Smtp }

public enum ClientDirectoryKind { Local, Http }

/// <summary>
/// The four top-level picks (<c>Transport</c>, <c>Database</c>, <c>Mailer</c>, <c>ClientDirectory</c>).
/// They decide what gets registered, so they are read while the container is built; a bad
/// value stops the start with a message naming the key. Defaults are the embedded ones.
/// </summary>
public sealed record ServiceOptions(
    TransportKind Transport,
    DatabaseKind Database,
    MailerKind Mailer,
    ClientDirectoryKind ClientDirectory)
{
    public static ServiceOptions Read(IConfiguration configuration) => new(
        Pick(configuration, "Transport", TransportKind.InMemory),
        Pick(configuration, "Database", DatabaseKind.Sqlite),
        Pick(configuration, "Mailer", MailerKind.File),
        Pick(configuration, "ClientDirectory", ClientDirectoryKind.Local));

    private static T Pick<T>(IConfiguration configuration, string key, T fallback)
        where T : struct, Enum
    {
        var value = configuration[key];
        if (string.IsNullOrWhiteSpace(value))
        {
            return fallback;
        }

        if (Enum.TryParse<T>(value, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(value, out _))
        {
            return parsed;
        }

        throw new InvalidOperationException(
            $"Configuration key '{key}' has the value '{value}'; expected one of {string.Join(", ", Enum.GetNames<T>())}.");
    }
}
