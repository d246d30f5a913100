using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CorpNotifier.Contracts;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace CorpNotifier.SystemTests;

/// <summary>
/// Base of every system test: its own database and virtual host, a real SMTP server and the
/// HTTP stand-ins, and helpers to start service processes against them.
/// </summary>
[Trait("Category", "System")]
public abstract class SystemTest : IAsyncLifetime
{
    private readonly List<ServiceProcess> _services = [];

    protected SystemEnvironment Env { get; private set; } = null!;

    protected FakeSmtpServer Smtp { get; private set; } = null!;

    protected FakeUpstreams Upstreams { get; private set; } = null!;

    /// <summary>Typed events that happen now, on the real clock (sent over HTTP in the wire format, or published on the bus).</summary>
    protected static TestEvents Events => TestEvents.RealTime;

    /// <summary>
    /// True for the tests of a start on an empty database (the service migrates it); the others get a
    /// database with the schema already in place, as a service finds it after its first start.
    /// </summary>
    protected virtual bool EmptyDatabase => false;

    public virtual async Task InitializeAsync()
    {
        Env = await SystemEnvironment.CreateAsync(migrated: !EmptyDatabase);
        Smtp = new FakeSmtpServer();
        Upstreams = new FakeUpstreams();
    }

    public virtual async Task DisposeAsync()
    {
        foreach (var service in _services)
        {
            await service.DisposeAsync();
        }

        await Upstreams.DisposeAsync();
        await Smtp.DisposeAsync();
        await Env.DisposeAsync();
    }

    /// <summary>Settings every system host gets: real servers, the Sender stand-in, fast sweeps and short backoffs.</summary>
    protected Dictionary<string, string> BaseSettings(string mailer = "Sender")
    {
        var settings = Env.HostSettings();
        foreach (var (key, value) in Upstreams.Sender.ServiceSettings().Concat(Smtp.ServiceSettings()))
        {
            settings[key] = value;
        }

        settings["Mailer"] = mailer;
        settings["Dispatch:Interval"] = "00:00:00.250";
        settings["Dispatch:RetryBackoff"] = "00:00:00.200";
        settings["Dispatch:MaxRetryBackoff"] = "00:00:01";
        // The clock is the machine's: with send windows, a delayed letter's moment would depend on
        // the hour and the day the suite runs at. The tests of the windows switch them on.
        settings["SendWindows:Enabled"] = "false";
        // Many suites drive load with low-balance letters, several per contract: that kind's default
        // cap (one per contract a day) is lifted here; the tests of the caps put it back.
        settings["Notices:LowBalanceNotice:Cap:Enabled"] = "false";
        return settings;
    }

    protected async Task<ServiceProcess> StartServiceAsync(IDictionary<string, string>? overrides = null, string mailer = "Sender", string name = "instance-a", bool waitUntilReady = true, ServiceCommand? command = null)
    {
        var settings = BaseSettings(mailer);
        foreach (var (key, value) in overrides ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        var service = await ServiceProcess.StartAsync(settings, name, waitUntilReady, command);
        _services.Add(service);
        return service;
    }

    protected string Logs() => string.Join("\n---\n", _services.Select(s => $"[{s.Name}]\n{s.Log()}"));

    protected static async Task PostAsync(ServiceProcess service, IEvent evt)
    {
        using var response = await service.Client.PostAsJsonAsync("/api/v1/events", Wire(evt));
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
    }

    protected static JsonObject Wire(IEvent evt) => EventEnvelopeReader.Write(evt);

    protected Task<List<Notice>> WaitForNoticesAsync(Func<List<Notice>, bool> done, string what, TimeSpan? timeout = null) =>
        Eventually.MatchAsync(Env.NoticesAsync, done, what, timeout, Logs);

    /// <summary>A producer service as it integrates: MassTransit on RabbitMQ and the contracts package.</summary>
    protected async Task<ServiceProvider> ProducerAsync()
    {
        var services = new ServiceCollection();
        services.AddMassTransit(bus =>
        {
            bus.DisableUsageTelemetry();
            bus.UsingRabbitMq((_, cfg) => cfg.Host(SystemEnvironment.RabbitHost, (ushort)SystemEnvironment.RabbitPort, Env.VirtualHost, host =>
            {
                host.Username(SystemEnvironment.RabbitUser);
                host.Password(SystemEnvironment.RabbitPassword);
            }));
        });
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<IBusControl>().StartAsync();
        return provider;
    }

    /// <summary>Waits until <paramref name="count"/> letters are sent, polling a cheap count, then loads them all.</summary>
    protected async Task<List<Notice>> WaitUntilSentAsync(int count, string what, TimeSpan timeout)
    {
        await Eventually.MatchAsync(
            Env.StatusCountsAsync,
            counts => counts.GetValueOrDefault(NoticeStatus.Sent) >= count,
            what,
            timeout,
            Logs);
        return await Env.NoticesAsync();
    }

    /// <summary>
    /// Proof that the sweeper went past <paramref name="moment"/>: a letter an operator schedules just
    /// after it is sent. Due letters are claimed in send_at order, so anything that was still due at
    /// the moment would have been claimed by then. The client (with its contract) must be seeded.
    /// </summary>
    protected async Task SweptPastAsync(ServiceProcess service, DateTimeOffset moment, string clientId = "client-42", string contractId = "contract-7")
    {
        using var response = await service.Client.PostAsJsonAsync($"/api/v1/clients/{clientId}/notices", new
        {
            kind = "LowBalanceNotice",
            contractId,
            args = new { old_balance = "0", new_balance = "0", currency = "RUB" },
            sendAt = moment.AddSeconds(1),
        });
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var id = (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetInt64();
        await WaitForNoticesAsync(n => n.Single(x => x.Id == id).Status == NoticeStatus.Sent, $"letter {id}, due after {moment:O}, to be sent");
    }

    /// <summary>Sends the profile and the contract (thresholds 100 / 25) a balance letter needs, and waits until both are known.</summary>
    protected async Task SeedClientAsync(ServiceProcess service, string clientId = "client-42", string contractId = "contract-7", params string[] emails)
    {
        await PostAsync(service, Events.Profile(clientId, emails.Length == 0 ? ["billing@acme.example"] : emails));
        await PostAsync(service, Events.ContractResync(clientId, contractId));
        await Eventually.MatchAsync(
            async () =>
            {
                await using var db = Env.Db();
                return db.Events.Count(e => e.ClientId == clientId);
            },
            count => count >= 2,
            "the client's profile and contract to be processed",
            diagnostics: Logs);
    }
}
