using System.Net.Sockets;
using CorpNotifier.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CorpNotifier.Tests.Persistence;

/// <summary>Which failures the gate waits out (the database cannot be reached) and which go the normal way (the command is wrong).</summary>
public sealed class DatabaseFaultsTests
{
    public static TheoryData<string, Exception> Unavailable => new()
    {
        { "connection refused", new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused)) },
        { "admin shutdown", new PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", PostgresErrorCodes.AdminShutdown) },
        { "cannot connect now", new PostgresException("the database system is starting up", "FATAL", "FATAL", PostgresErrorCodes.CannotConnectNow) },
        { "connection failure", new PostgresException("connection failure", "FATAL", "FATAL", PostgresErrorCodes.ConnectionFailure) },
        { "wrapped by EF", new DbUpdateException("save failed", new NpgsqlException("Exception while reading from stream", new EndOfStreamException())) },
        { "socket", new SocketException((int)SocketError.HostUnreachable) },
    };

    public static TheoryData<string, Exception> Wrong => new()
    {
        { "unique violation", new DbUpdateException("dup", new PostgresException("duplicate key", "ERROR", "ERROR", PostgresErrorCodes.UniqueViolation)) },
        { "syntax error", new PostgresException("syntax error", "ERROR", "ERROR", PostgresErrorCodes.SyntaxError) },
        { "serialization failure", new PostgresException("could not serialize", "ERROR", "ERROR", PostgresErrorCodes.SerializationFailure) },
        { "sqlite constraint", new SqliteException("UNIQUE constraint failed", 19) },
        { "a bug", new InvalidOperationException("Sequence contains no elements") },
    };

    [Theory]
    [MemberData(nameof(Unavailable))]
    public void A_database_that_cannot_be_reached_is_unavailable(string what, Exception exception) =>
        DatabaseFaults.IsUnavailable(exception).ShouldBeTrue(what);

    [Theory]
    [MemberData(nameof(Wrong))]
    public void A_command_that_fails_on_a_reachable_database_is_not(string what, Exception exception) =>
        DatabaseFaults.IsUnavailable(exception).ShouldBeFalse(what);

    [Fact]
    public void The_description_is_one_line_from_the_innermost_cause() =>
        DatabaseFaults.Describe(new DbUpdateException("An error occurred while saving", new NpgsqlException("Failed to connect to 127.0.0.1:5432", new SocketException((int)SocketError.ConnectionRefused))))
            .ShouldBe("Connection refused");
}
