using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using CorpNotifier.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace CorpNotifier.SystemTests;

/// <summary>
/// One test's own PostgreSQL database and RabbitMQ virtual host on the real servers test.sh
/// started, so tests can run side by side and leave nothing behind. The addresses come from
/// environment variables; a missing one fails loudly with the fix.
/// </summary>
public sealed class SystemEnvironment : IAsyncDisposable
{
    private static readonly HttpClient Management = new();

    private SystemEnvironment(string name)
    {
        Name = name;
    }

    public string Name { get; }

    public string PostgresConnectionString => new NpgsqlConnectionStringBuilder(Setting("CORP_TEST_POSTGRES")) { Database = Name }.ConnectionString;

    public static string RabbitHost => new Uri(Setting("CORP_TEST_RABBITMQ")).Host;

    public static int RabbitPort => new Uri(Setting("CORP_TEST_RABBITMQ")).Port;

    public static string RabbitUser => Uri.UnescapeDataString(new Uri(Setting("CORP_TEST_RABBITMQ")).UserInfo.Split(':')[0]);

    public static string RabbitPassword => Uri.UnescapeDataString(new Uri(Setting("CORP_TEST_RABBITMQ")).UserInfo.Split(':')[1]);

    public string VirtualHost => Name;

    /// <summary>
    /// A database migrated once for the whole run, that each test's database is copied from: a service
    /// then starts on an up-to-date schema instead of migrating an empty one (a second or two per start,
    /// and there are dozens of starts). Dropped when the test run's process exits.
    /// </summary>
    private static readonly Lazy<Task<string>> MigratedTemplate = new(CreateMigratedTemplateAsync);

    /// <summary>
    /// A new environment. Its database has the service's schema already (<paramref name="migrated"/>), or is
    /// empty, for the tests of what a service does to an empty database at start (migrating it, two
    /// instances at once).
    /// </summary>
    public static async Task<SystemEnvironment> CreateAsync(bool migrated = true)
    {
        var environment = new SystemEnvironment($"corp_sys_{Guid.NewGuid():N}"[..24]);
        var template = migrated ? await MigratedTemplate.Value : null;
        await CreateDatabaseAsync(environment.Name, template);

        (await ManagementAsync(HttpMethod.Put, $"vhosts/{environment.VirtualHost}", new { })).EnsureSuccessStatusCode();
        (await ManagementAsync(HttpMethod.Put, $"permissions/{environment.VirtualHost}/{Uri.EscapeDataString(RabbitUser)}", new { configure = ".*", write = ".*", read = ".*" }))
            .EnsureSuccessStatusCode();
        return environment;
    }

    /// <summary>Creates a database, copied from <paramref name="template"/> when one is named.</summary>
    private static async Task CreateDatabaseAsync(string name, string? template)
    {
        await using var admin = new NpgsqlConnection(Setting("CORP_TEST_POSTGRES"));
        await admin.OpenAsync();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                await using var create = new NpgsqlCommand(template is null ? $"CREATE DATABASE {name}" : $"CREATE DATABASE {name} TEMPLATE {template}", admin);
                await create.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ObjectInUse && DateTime.UtcNow < deadline)
            {
                // A copy needs the template to have no session: a background worker (autovacuum) may
                // be on it a moment. Wait until it has none, then copy again.
                await using var sessions = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = @name", admin);
                sessions.Parameters.AddWithValue("name", template!);
                await Eventually.MatchAsync(async () => (long)(await sessions.ExecuteScalarAsync())!, n => n == 0, $"the sessions on {template} to end", TimeSpan.FromSeconds(30));
            }
        }
    }

    private static async Task<string> CreateMigratedTemplateAsync()
    {
        await DropTemplatesOfEndedRunsAsync();
        var name = $"{TemplatePrefix}{Environment.ProcessId}_{Guid.NewGuid():N}"[..32];
        await CreateDatabaseAsync(name, null);
        var connectionString = new NpgsqlConnectionStringBuilder(Setting("CORP_TEST_POSTGRES")) { Database = name, Pooling = false }.ConnectionString;
        await using (var db = Context(connectionString))
        {
            await db.Database.MigrateAsync();
        }

        return name;
    }

    private const string TemplatePrefix = "corp_sys_tpl_";

    /// <summary>
    /// A run cannot drop its template as it ends (the test host is stopped, not asked), so the next run
    /// drops those of runs whose process is gone; a run still going (another checkout's) keeps its own.
    /// </summary>
    private static async Task DropTemplatesOfEndedRunsAsync()
    {
        var ended = new List<string>();
        await using (var admin = new NpgsqlConnection(Setting("CORP_TEST_POSTGRES")))
        {
            await admin.OpenAsync();
            await using var list = new NpgsqlCommand("SELECT datname FROM pg_database WHERE starts_with(datname, @prefix)", admin);
            list.Parameters.AddWithValue("prefix", TemplatePrefix);
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var name = reader.GetString(0);
                var pid = name[TemplatePrefix.Length..].Split('_')[0];
                if (!int.TryParse(pid, out var id) || !Directory.Exists($"/proc/{id}"))
                {
                    ended.Add(name);
                }
            }
        }

        foreach (var name in ended)
        {
            await DropDatabaseAsync(name);
        }
    }

    /// <summary>The settings that point a host at this environment's database and virtual host.</summary>
    public Dictionary<string, string> HostSettings() => new()
    {
        ["Transport"] = "RabbitMq",
        ["Database"] = "Postgres",
        ["ConnectionStrings__Postgres"] = PostgresConnectionString,
        ["RabbitMq__Host"] = RabbitHost,
        ["RabbitMq__Port"] = RabbitPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RabbitMq__VirtualHost"] = VirtualHost,
        ["RabbitMq__Username"] = RabbitUser,
        ["RabbitMq__Password"] = RabbitPassword,
    };

    public PostgresNoticesDbContext Db(params IInterceptor[] interceptors) => Context(PostgresConnectionString, interceptors);

    /// <summary>A context on a database as the service opens it (its migrations' history table, its naming).</summary>
    private static PostgresNoticesDbContext Context(string connectionString, params IInterceptor[] interceptors) => new(
        new DbContextOptionsBuilder<PostgresNoticesDbContext>()
            .UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history"))
            .UseSnakeCaseNamingConvention()
            .AddInterceptors(interceptors)
            .Options);

    public async Task<List<Notice>> NoticesAsync()
    {
        await using var db = Db();
        return await db.Notices.AsNoTracking().Include(n => n.Timeline).OrderBy(n => n.Id).ToListAsync();
    }

    /// <summary>How many letters are in each status (a cheap probe for polling).</summary>
    public async Task<Dictionary<NoticeStatus, int>> StatusCountsAsync()
    {
        await using var db = Db();
        return await db.Notices.GroupBy(n => n.Status).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count);
    }

    /// <summary>Messages waiting in a queue of this virtual host (via the management API).</summary>
    public async Task<int> QueueDepthAsync(string queue)
    {
        using var response = await ManagementAsync(HttpMethod.Get, $"queues/{VirtualHost}/{queue}", null);
        if (!response.IsSuccessStatusCode)
        {
            return 0;
        }

        var json = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        return json.TryGetProperty("messages", out var messages) ? messages.GetInt32() : 0;
    }

    /// <summary>
    /// A queue of the test's own (durable, not auto-deleted) bound to <paramref name="exchange"/>,
    /// which is declared as MassTransit declares a message type's exchange (fanout, durable), so
    /// the queue keeps every message published there from now on.
    /// </summary>
    public async Task BindQueueAsync(string queue, string exchange)
    {
        var e = Uri.EscapeDataString(exchange);
        var q = Uri.EscapeDataString(queue);
        (HttpMethod Method, string Path, object Body)[] steps =
        [
            (HttpMethod.Put, $"exchanges/{VirtualHost}/{e}", new { type = "fanout", durable = true, auto_delete = false, @internal = false, arguments = new { } }),
            (HttpMethod.Put, $"queues/{VirtualHost}/{q}", new { durable = true, auto_delete = false, arguments = new { } }),
            (HttpMethod.Post, $"bindings/{VirtualHost}/e/{e}/q/{q}", new { routing_key = "", arguments = new { } }),
        ];
        foreach (var (method, path, body) in steps)
        {
            using var response = await ManagementAsync(method, path, body);
            response.EnsureSuccessStatusCode();
        }
    }

    /// <summary>Takes one message off a queue (ack mode: reject, requeue false) and returns its headers and body.</summary>
    public async Task<(System.Text.Json.JsonElement Properties, string Payload)?> GetMessageAsync(string queue)
    {
        using var response = await ManagementAsync(HttpMethod.Post, $"queues/{VirtualHost}/{queue}/get", new { count = 1, ackmode = "reject_requeue_false", encoding = "auto" });
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        var messages = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        if (messages.GetArrayLength() == 0)
        {
            return null;
        }

        var message = messages[0];
        return (message.GetProperty("properties"), message.GetProperty("payload").GetString()!);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await DropDatabaseAsync(Name);

        (await ManagementAsync(HttpMethod.Delete, $"vhosts/{VirtualHost}", null)).Dispose();
    }

    /// <summary>
    /// Drops this test's database. WITH (FORCE) ends this role's leftover sessions (a killed service's
    /// backends may linger a moment), but it may not end a session it has no right to signal, such
    /// as an autovacuum worker; then it waits until the database has no session left and tries again.
    /// </summary>
    private static async Task DropDatabaseAsync(string name)
    {
        await using var admin = new NpgsqlConnection(Setting("CORP_TEST_POSTGRES"));
        await admin.OpenAsync();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", admin);
                await drop.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.ObjectInUse && DateTime.UtcNow < deadline)
            {
                await using var sessions = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = @name", admin);
                sessions.Parameters.AddWithValue("name", name);
                await Eventually.MatchAsync(async () => (long)(await sessions.ExecuteScalarAsync())!, n => n == 0, $"the sessions on {name} to end", TimeSpan.FromSeconds(30));
            }
        }
    }

    public static string Setting(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{name} is not set. The system tests need real PostgreSQL and RabbitMQ: run ./test.sh, which installs and starts them and sets CORP_TEST_POSTGRES, CORP_TEST_RABBITMQ and CORP_TEST_RABBITMQ_MANAGEMENT.");

    private static async Task<HttpResponseMessage> ManagementAsync(HttpMethod method, string path, object? body)
    {
        var request = new HttpRequestMessage(method, $"{Setting("CORP_TEST_RABBITMQ_MANAGEMENT").TrimEnd('/')}/api/{path}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{RabbitUser}:{RabbitPassword}")));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return await Management.SendAsync(request);
    }
}
