using CorpNotifier.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace CorpNotifier.Persistence;

/// <summary>Section <c>Persistence</c>.</summary>
public sealed class PersistenceOptions
{
    /// <summary>Apply pending migrations at start (safe with many instances: EF takes a migration lock).</summary>
    public bool MigrateOnStart { get; set; } = true;
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

            services.AddDbContext<NoticesDbContext, PostgresNoticesDbContext>(options => options
                .UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history"))
                .UseSnakeCaseNamingConvention());
        }
        else
        {
            var connectionString = SqliteConnectionString(configuration.GetConnectionString("Sqlite") ?? DefaultSqlite, environment);
            services.AddDbContext<NoticesDbContext, SqliteNoticesDbContext>(options => options
                .UseSqlite(connectionString, sqlite => sqlite.MigrationsHistoryTable("__ef_migrations_history"))
                .UseSnakeCaseNamingConvention());
        }

        services.AddHostedService<DatabaseMigrator>();
        return services;
    }

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
