using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CorpNotifier.TestKit;
using Npgsql;

namespace CorpNotifier.Benchmarks.Hosting;

/// <summary>
/// One scenario's own PostgreSQL database and RabbitMQ virtual host on the servers bench.sh started,
/// as the system tests make theirs, so no scenario sees another's rows or messages. Both are dropped
/// at the end.
/// </summary>
public sealed class BenchEnvironment : IAsyncDisposable
{
    private static readonly HttpClient Management = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>How long a drop may wait for the sessions it may not end (an autovacuum worker's).</summary>
    private static readonly TimeSpan DropTimeout = TimeSpan.FromMinutes(2);

    private readonly BenchSettings _settings;
    private readonly Uri _amqp;

    private BenchEnvironment(BenchSettings settings, string name)
    {
        _settings = settings;
        _amqp = new Uri(settings.RabbitMq);
        Name = name;
        PostgresConnectionString = new NpgsqlConnectionStringBuilder(settings.Postgres) { Database = name, MaxPoolSize = 40 }.ConnectionString;
        Database = NpgsqlDataSource.Create(PostgresConnectionString);
    }

    public string Name { get; }

    public string PostgresConnectionString { get; }

    /// <summary>Connections to this scenario's database.</summary>
    public NpgsqlDataSource Database { get; }

    public string VirtualHost => Name;

    public string RabbitHost => _amqp.Host;

    public int RabbitPort => _amqp.Port;

    public string RabbitUser => Uri.UnescapeDataString(_amqp.UserInfo.Split(':')[0]);

    public string RabbitPassword => Uri.UnescapeDataString(_amqp.UserInfo.Split(':')[1]);

    public static async Task<BenchEnvironment> CreateAsync(BenchSettings settings, string scenario)
    {
        var environment = new BenchEnvironment(settings, $"corp_bench_{scenario}_{Guid.NewGuid():N}"[..30]);
        await using (var admin = new NpgsqlConnection(settings.Postgres))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {environment.Name}", admin);
            await create.ExecuteNonQueryAsync();
        }

        (await environment.ManagementAsync(HttpMethod.Put, $"vhosts/{environment.VirtualHost}", new { })).EnsureSuccessStatusCode();
        (await environment.ManagementAsync(HttpMethod.Put, $"permissions/{environment.VirtualHost}/{Uri.EscapeDataString(environment.RabbitUser)}", new { configure = ".*", write = ".*", read = ".*" }))
            .EnsureSuccessStatusCode();
        return environment;
    }

    /// <summary>The servers' versions, for the report: PostgreSQL's and RabbitMQ's.</summary>
    public static async Task<string> ServerVersionsAsync(BenchSettings settings)
    {
        await using var admin = new NpgsqlConnection(settings.Postgres);
        await admin.OpenAsync();
        await using var command = new NpgsqlCommand("SHOW server_version", admin);
        var postgres = await command.ExecuteScalarAsync();
        var amqp = new Uri(settings.RabbitMq);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{settings.RabbitMqManagement.TrimEnd('/')}/api/overview");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(amqp.UserInfo))));
        using var response = await Management.SendAsync(request);
        var overview = response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonElement>() : default;
        var rabbit = overview.ValueKind == JsonValueKind.Object && overview.TryGetProperty("rabbitmq_version", out var version) ? version.GetString() : "unknown";
        return $"PostgreSQL {postgres}, RabbitMQ {rabbit}";
    }

    /// <summary>The settings that point the service at this database and virtual host, with the Sender stand-in as its mailer.</summary>
    public Dictionary<string, string> ServiceSettings() => new()
    {
        ["Transport"] = "RabbitMq",
        ["Database"] = "Postgres",
        ["ConnectionStrings:Postgres"] = new NpgsqlConnectionStringBuilder(PostgresConnectionString) { MaxPoolSize = 100 }.ConnectionString,
        ["RabbitMq:Host"] = RabbitHost,
        ["RabbitMq:Port"] = RabbitPort.ToString(CultureInfo.InvariantCulture),
        ["RabbitMq:VirtualHost"] = VirtualHost,
        ["RabbitMq:Username"] = RabbitUser,
        ["RabbitMq:Password"] = RabbitPassword,
    };

    /// <summary>One number from a query (a count, say).</summary>
    public async Task<long> ScalarAsync(string sql)
    {
        await using var command = Database.CreateCommand(sql);
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? 0 : Convert.ToInt64(value, CultureInfo.InvariantCulture);
    }

    /// <summary>Messages waiting in a queue of this virtual host (management API); 0 when it does not exist.</summary>
    public async Task<int> QueueDepthAsync(string queue)
    {
        using var response = await ManagementAsync(HttpMethod.Get, $"queues/{VirtualHost}/{Uri.EscapeDataString(queue)}", null);
        if (!response.IsSuccessStatusCode)
        {
            return 0;
        }

        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        return json.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Number ? messages.GetInt32() : 0;
    }

    public async ValueTask DisposeAsync()
    {
        await Database.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        try
        {
            await DropDatabaseAsync();
        }
        catch (Exception ex) when (ex is PostgresException or TimeoutException)
        {
            Console.Error.WriteLine($"could not drop database {Name}: {(ex as PostgresException)?.MessageText ?? ex.Message}");
        }

        (await ManagementAsync(HttpMethod.Delete, $"vhosts/{VirtualHost}", null)).Dispose();
    }

    /// <summary>
    /// Drops this scenario's database as the system tests drop theirs. WITH (FORCE) ends this role's
    /// leftover sessions, but not an autovacuum worker's (on a large table, the retention scenario's,
    /// it may still read the database): refused (42501, or 55006 in use), the drop waits until
    /// pg_stat_activity shows no session on the database and is tried again, within two minutes.
    /// </summary>
    private async Task DropDatabaseAsync()
    {
        await using var admin = new NpgsqlConnection(_settings.Postgres);
        await admin.OpenAsync();
        var deadline = DateTime.UtcNow + DropTimeout;
        while (true)
        {
            try
            {
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", admin) { CommandTimeout = 120 };
                await drop.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.ObjectInUse && DateTime.UtcNow < deadline)
            {
                await using var sessions = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = @name", admin);
                sessions.Parameters.AddWithValue("name", Name);
                await Eventually.MatchAsync(
                    async () => (long)(await sessions.ExecuteScalarAsync())!,
                    n => n == 0,
                    $"the sessions on {Name} to end",
                    deadline - DateTime.UtcNow + TimeSpan.FromSeconds(1));
            }
        }
    }

    private async Task<HttpResponseMessage> ManagementAsync(HttpMethod method, string path, object? body)
    {
        using var request = new HttpRequestMessage(method, $"{_settings.RabbitMqManagement.TrimEnd('/')}/api/{path}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{RabbitUser}:{RabbitPassword}")));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return await Management.SendAsync(request);
    }
}
