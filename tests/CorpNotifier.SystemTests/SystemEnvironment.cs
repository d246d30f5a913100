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

    public static async Task<SystemEnvironment> CreateAsync()
    {
        var environment = new SystemEnvironment($"corp_sys_{Guid.NewGuid():N}"[..24]);
        await using (var admin = new NpgsqlConnection(Setting("CORP_TEST_POSTGRES")))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {environment.Name}", admin);
            await create.ExecuteNonQueryAsync();
        }

        (await ManagementAsync(HttpMethod.Put, $"vhosts/{environment.VirtualHost}", new { })).EnsureSuccessStatusCode();
        (await ManagementAsync(HttpMethod.Put, $"permissions/{environment.VirtualHost}/{Uri.EscapeDataString(RabbitUser)}", new { configure = ".*", write = ".*", read = ".*" }))
            .EnsureSuccessStatusCode();
        return environment;
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

    public PostgresNoticesDbContext Db(params IInterceptor[] interceptors) => new(
        new DbContextOptionsBuilder<PostgresNoticesDbContext>()
            .UseNpgsql(PostgresConnectionString)
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
        await DropDatabaseAsync();

        (await ManagementAsync(HttpMethod.Delete, $"vhosts/{VirtualHost}", null)).Dispose();
    }

    /// <summary>
    /// Drops this test's database. WITH (FORCE) ends this role's leftover sessions (a killed service's
    /// backends may linger a moment), but it may not end a session it has no right to signal, such
    /// as an autovacuum worker; then it waits until the database has no session left and tries again.
    /// </summary>
    private async Task DropDatabaseAsync()
    {
        await using var admin = new NpgsqlConnection(Setting("CORP_TEST_POSTGRES"));
        await admin.OpenAsync();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", admin);
                await drop.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.ObjectInUse && DateTime.UtcNow < deadline)
            {
                await using var sessions = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = @name", admin);
                sessions.Parameters.AddWithValue("name", Name);
                await Eventually.MatchAsync(async () => (long)(await sessions.ExecuteScalarAsync())!, n => n == 0, $"the sessions on {Name} to end", TimeSpan.FromSeconds(30));
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
