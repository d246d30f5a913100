using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace CorpNotifier.Persistence;

/// <summary>
/// Whether the database can be used now: closed until the schema is up to date at start, closed
/// again when work finds it unreachable, reopened by <see cref="DatabaseWatch"/> once it answers.
/// Consumers and the sweeper wait here instead of spending their retries (and moving good events
/// to an error queue) during an outage, however long it lasts.
/// </summary>
public sealed class DatabaseAvailability
{
    private readonly object _lock = new();
    private readonly SemaphoreSlim _lost = new(0, 1);
    private TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>What is wrong while closed, for readiness and logs.</summary>
    public string Problem { get; private set; } = "starting: the schema has not been checked yet";

    public DateTimeOffset? UnavailableSince { get; private set; }

    /// <summary>How many times the watcher's own probe found the database unreachable (a real outage, not one failed command).</summary>
    public long ConfirmedOutages { get; private set; }

    public bool IsAvailable => _open.Task.IsCompleted;

    /// <summary>When the database last came back after an outage (not the first opening at start).</summary>
    public DateTimeOffset? ReturnedAt { get; private set; }

    public Task WaitUntilAvailableAsync(CancellationToken cancellationToken) => _open.Task.WaitAsync(cancellationToken);

    /// <summary>Work found the database unreachable: close the gate and have the watcher probe it.</summary>
    public void ReportUnavailable(Exception exception, DateTimeOffset now)
    {
        lock (_lock)
        {
            if (!_open.Task.IsCompleted)
            {
                return;
            }

            _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Problem = $"unreachable: {DatabaseFaults.Describe(exception)}";
            UnavailableSince = now;
        }

        if (_lost.CurrentCount == 0)
        {
            _lost.Release();
        }
    }

    internal Task WaitUntilLostAsync(CancellationToken cancellationToken) => _lost.WaitAsync(cancellationToken);

    internal void ProbeFailed(string problem, DateTimeOffset now)
    {
        lock (_lock)
        {
            Problem = problem;
            UnavailableSince ??= now;
            ConfirmedOutages++;
        }
    }

    /// <summary>Opens the gate; <see cref="DatabaseWatch"/> does this (and the simulation, whose database is always there).</summary>
    internal void Open(DateTimeOffset now, bool afterOutage)
    {
        lock (_lock)
        {
            UnavailableSince = null;
            if (afterOutage)
            {
                ReturnedAt = now;
            }

            _open.TrySetResult();
        }
    }
}

/// <summary>Which failures mean "the database cannot be reached" rather than "this command is wrong".</summary>
public static class DatabaseFaults
{
    public static bool IsUnavailable(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                // Class 08: connection exceptions; 57P01-57P03: the server shuts down or is starting;
                // 53300: too many connections.
                case PostgresException pg:
                    return pg.SqlState.StartsWith("08", StringComparison.Ordinal)
                        || pg.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown
                            or PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.TooManyConnections;
                case NpgsqlException npgsql when npgsql.IsTransient:
                    return true;
                case SqliteException { SqliteErrorCode: 14 }: // SQLITE_CANTOPEN: the file is gone or unreadable
                    return true;
                case SocketException:
                    return true;
                case DatabaseConnectionLostException:
                    return true;
            }
        }

        return false;
    }

    /// <summary>One line: the innermost message, without a stack trace.</summary>
    public static string Describe(Exception exception)
    {
        var inner = exception;
        while (inner.InnerException is not null && inner is not PostgresException)
        {
            inner = inner.InnerException;
        }

        return inner.Message.ReplaceLineEndings(" ");
    }
}

/// <summary>The connection to the database broke in the middle of a unit of work, found by the work itself rather than by the driver.</summary>
public sealed class DatabaseConnectionLostException(string message) : Exception(message);
