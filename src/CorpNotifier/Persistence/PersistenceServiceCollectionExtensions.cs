using CorpNotifier.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CorpNotifier.Persistence;

/// <summary>Section <c>Persistence</c>.</summary>
public sealed class PersistenceOptions
{
    /// <summary>Apply pending migrations at start (safe with many instances: EF takes a migration lock).</summary>
    public bool MigrateOnStart { get; set; } = true;

    /// <summary>Wait before the second attempt to reach the database; doubles with each attempt up to <see cref="MaxRetryDelay"/>.</summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);
}

public static class PersistenceServiceCollectionExtensions
{
    public const string DefaultSqlite = "Data Source=data/corp-notifier.db";

    public static IServiceCollection AddPersistence(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment, ServiceOptions picks)
    {
        services.AddSectionOptions<PersistenceOptions>("Persistence");
        if (picks.Database == DatabaseKind.Postgres)
        {
            var connectionString = configuration.GetConnectionString("Postgres");
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw new InvalidOperationException("Configuration key 'ConnectionStrings:Postgres' is required when Database is Postgres.");
            }

            // The options are built once (a singleton), not for every scope: each event and each
            // letter opens a scope, and building them (the connection string parsed again, the
            // warnings configured) cost more than the unit of work's own start.
            var postgres = WithAutoPrepare(connectionString);
            services.AddDbContext<NoticesDbContext, PostgresNoticesDbContext>(
                options => options
                    .UseNpgsql(postgres, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history"))
                    .UseSnakeCaseNamingConvention()
                    .ExpectedFailuresAreNotErrors(),
                optionsLifetime: ServiceLifetime.Singleton);
        }
        else
        {
            var connectionString = SqliteConnectionString(configuration.GetConnectionString("Sqlite") ?? DefaultSqlite, environment);
            services.AddDbContext<NoticesDbContext, SqliteNoticesDbContext>(
                options => options
                    .UseSqlite(connectionString, sqlite => sqlite.MigrationsHistoryTable("__ef_migrations_history"))
                    .UseSnakeCaseNamingConvention()
                    .ExpectedFailuresAreNotErrors(),
                optionsLifetime: ServiceLifetime.Singleton);
        }

        services.AddSingleton<DatabaseAvailability>();
        services.AddExceptionHandler<DatabaseUnavailableHandler>();
        services.AddHostedService<DatabaseWatch>();
        return services;
    }

    /// <summary>
    /// The same few statements run for every event and every letter; prepared once per pooled
    /// connection, PostgreSQL no longer parses and plans them each time. A connection string that
    /// sets <c>Max Auto Prepare</c> itself keeps its value.
    /// The service keeps no session state on a connection (its advisory locks are transaction-scoped),
    /// so a connection returned to the pool is not reset: the reset cost seven statements on each of
    /// the four openings an event makes. A connection string that sets <c>No Reset On Close</c> keeps it.
    /// </summary>
    private static string WithAutoPrepare(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (!connectionString.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase))
        {
            builder.MaxAutoPrepare = 64;
            builder.AutoPrepareMinUsages = 2;
        }

        if (!connectionString.Contains("No Reset On Close", StringComparison.OrdinalIgnoreCase))
        {
            builder.NoResetOnClose = true;
        }

        return builder.ConnectionString;
    }

    /// <summary>
    /// EF Core logs every failed command, save and connection as an error, with a stack trace,
    /// before the code that made it sees the exception. Here most such failures are expected
    /// outcomes — a duplicate event or notice stopped by a unique index, a stale settings write, a
    /// database that is down (reported once per attempt by <see cref="DatabaseWatch"/>) — and the
    /// code that catches them logs what they mean; anything unexpected propagates and is logged
    /// where it is handled (a consumer fault, the HTTP exception handler). So EF's own entries drop
    /// to Debug. A failed query's iteration and a failed transaction are the same failure seen from
    /// a read and from a transaction (during a database outage, every read and every transaction
    /// under way reports one), and drop likewise: the outage itself is logged once, by the watch.
    /// </summary>
    private static DbContextOptionsBuilder ExpectedFailuresAreNotErrors(this DbContextOptionsBuilder options) =>
        options.ConfigureWarnings(warnings => warnings.Log(
            (CoreEventId.SaveChangesFailed, LogLevel.Debug),
            (CoreEventId.QueryIterationFailed, LogLevel.Debug),
            (RelationalEventId.CommandError, LogLevel.Debug),
            (RelationalEventId.ConnectionError, LogLevel.Debug),
            (RelationalEventId.TransactionError, LogLevel.Debug)));

    /// <summary>A relative SQLite file is placed under the content root, and its folder is created.</summary>
    private static string SqliteConnectionString(string configured, IHostEnvironment environment)
    {
        var builder = new SqliteConnectionStringBuilder(configured);
        if (builder.DataSource is { Length: > 0 } file && file != ":memory:" && !file.StartsWith("file:", StringComparison.Ordinal))
        {
            builder.DataSource = Path.GetFullPath(file, environment.ContentRootPath);
            Directory.CreateDirectory(Path.GetDirectoryName(builder.DataSource)!);
        }

        if (builder.DefaultTimeout < 30)
        {
            builder.DefaultTimeout = 30;
        }

        return builder.ToString();
    }
}
