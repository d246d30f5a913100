using System.Net.Http.Json;
using CorpNotifier.Contracts;
using CorpNotifier.Hosting;
using CorpNotifier.Persistence;
using MassTransit;
using MassTransit.Testing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CorpNotifier.Tests.Integration;

/// <summary>
/// The real host on its embedded default — MassTransit's in-memory test harness, a SQLite file,
/// letters written to a folder — with a clock the test moves. (The factory's type argument names the
/// service's assembly: its entry point class is internal, so the assembly, packed as
/// CorpNotifier.Engine for the producers' test kit, adds no global <c>Program</c> to a producer's tests.)
/// </summary>
public sealed class TestHost : WebApplicationFactory<ServiceOptions>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;
    private MeterProbe? _meter;

    /// <param name="settings">Configuration over the test defaults.</param>
    /// <param name="services">Replacements of the service's own registrations, applied last.</param>
    public TestHost(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        _services = services;
        Folder = Directory.CreateTempSubdirectory("corp-notifier-test-").FullName;
        _settings = new Dictionary<string, string?>
        {
            ["Transport"] = "InMemory",
            ["Database"] = "Sqlite",
            ["Mailer"] = "File",
            ["ClientDirectory"] = "Local",
            ["ConnectionStrings:Sqlite"] = $"Data Source={Path.Combine(Folder, "test.db")}",
            ["FileMailer:Folder"] = LettersFolder,
            ["Dispatch:Interval"] = "00:00:00.100",
            ["Dispatch:RetryBackoff"] = "00:00:01",
            // The clock here is the machine's: a delayed letter's send window would make a test's
            // outcome depend on the hour and the day it runs at. Tests of the windows switch them on.
            ["SendWindows:Enabled"] = "false",
        };
        foreach (var (role, index) in CorpNotifier.Auth.Roles.All.Select((r, i) => (r, i)))
        {
            _settings[$"Auth:ApiKeys:{index}:Name"] = $"test-{role}";
            _settings[$"Auth:ApiKeys:{index}:Role"] = role;
            _settings[$"Auth:ApiKeys:{index}:Sha256"] = CorpNotifier.Auth.AuthOptions.Hash(KeyOf(role));
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    public string Folder { get; }

    public string LettersFolder => Path.Combine(Folder, "letters");

    public TestClock Clock { get; } = new();

    /// <summary>Typed events stamped with this host's clock.</summary>
    public TestEvents Events => field ??= new TestEvents(Clock);

    /// <summary>This host's measurements (the service's meter).</summary>
    public MeterProbe Meter => _meter ??= new MeterProbe(this);

    /// <summary>Everything the host logged, at every level.</summary>
    public LogCapture Logs { get; } = new();

    public ITestHarness Harness => Services.GetTestHarness();

    /// <summary>
    /// A token for the harness's <c>Select</c> that makes it return what was seen so far: wait with
    /// <c>Any</c> first. (Without it, a <c>Select</c> enumerated to its end — <c>Count()</c>,
    /// <c>Single()</c> — waits for more until the harness's TestTimeout.)
    /// </summary>
    public static CancellationToken SeenSoFar => new(canceled: true);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        builder.ConfigureTestServices(services =>
        {
            // Replace the service's clock only: Quartz keeps its own keyed clock for the sweeper's cadence.
            foreach (var clock in services.Where(d => d.ServiceType == typeof(TimeProvider) && !d.IsKeyedService).ToList())
            {
                services.Remove(clock);
            }

            services.AddSingleton<TimeProvider>(Clock);

            // The console's cookies and forms are protected with keys that live as long as the host:
            // the machine's key ring would otherwise be created by whichever test touches it first,
            // which then logs the key ring's warning about unencrypted keys into that test's log.
            services.AddDataProtection().UseEphemeralDataProtectionProvider();
            CorpNotifier.Unsubscribes.UnsubscribesServiceCollectionExtensions.WithoutKeyRingPreload(services);
            services.AddMassTransitTestHarness();
            services.Configure<TestHarnessOptions>(harness =>
            {
                // The harness's waits (Consumed.Any<T>() and the like) end for good once the bus has
                // been idle for TestInactivityTimeout: 1.2 s by default, which this host's start
                // (database migrated, settings seeded) and a test's own setup easily outlast, after
                // which every wait returns at once with what has been seen so far. Here the bus is
                // never taken for idle within a test, and a wait ends when its message is seen or
                // after TestTimeout.
                harness.TestInactivityTimeout = TimeSpan.FromMinutes(10);
                harness.TestTimeout = Eventually.DefaultTimeout;
            });
            _services?.Invoke(services);
        });
    }

    /// <summary>
    /// Starts the host and waits until its database is open for work (schema migrated, settings
    /// seeded), as a load balancer waits for <c>/health/ready</c>.
    /// </summary>
    protected override IHost CreateHost(IHostBuilder builder)
    {
        var host = base.CreateHost(builder);
        host.Services.GetRequiredService<DatabaseAvailability>().WaitUntilAvailableAsync(CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(60)).GetAwaiter().GetResult();
        return host;
    }

    /// <summary>
    /// Starts a host with <paramref name="settings"/> that must not start, and returns the validation
    /// failure that stopped it. A start that fails disposes the host on the application's own thread;
    /// under load the test server can meet that disposed host before it rethrows the failure (an
    /// <see cref="ObjectDisposedException"/> instead): the start is then tried again with a new host.
    /// </summary>
    public static OptionsValidationException StartFailure(IDictionary<string, string?> settings)
    {
        const int attempts = 3;
        for (var attempt = 1; ; attempt++)
        {
            using var host = new TestHost(settings);
            try
            {
                host.CreateClient().Dispose();
            }
            catch (OptionsValidationException failure)
            {
                return failure;
            }
            catch (ObjectDisposedException) when (attempt < attempts)
            {
                continue;
            }

            throw new ShouldAssertException("the host started; a validation failure was expected to stop it");
        }
    }

    /// <summary>The test API key of a role (configured for this host).</summary>
    public static string KeyOf(string role) => $"test-key-of-{role}";

    /// <summary>An HTTP client that authenticates with the API key of <paramref name="role"/>.</summary>
    public HttpClient Client(string role = CorpNotifier.Auth.Roles.Admin)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add(CorpNotifier.Auth.ApiKeyAuthenticationHandler.Header, KeyOf(role));
        return client;
    }

    /// <summary>
    /// Waits until the sweeper completed two more sweeps, so at least one whole sweep started after
    /// this call (and after any clock move before it): what it would have sent is sent by then.
    /// The signal that "nothing happened" really had its chance to happen.
    /// </summary>
    public async Task WaitForSweepsAsync(int sweeps = 2)
    {
        _ = Services; // the meter probe counts from the host's start
        var before = Meter.Count("corp_notifier.sweeper.runs", ("result", "completed"));
        await Meter.WaitForAsync("corp_notifier.sweeper.runs", before + sweeps, ("result", "completed"));
    }

    /// <summary>Posts an event in the wire format (the service's own writer), as a producer does over HTTP.</summary>
    public async Task<HttpResponseMessage> PostEventAsync(IEvent evt)
    {
        using var client = Client(CorpNotifier.Auth.Roles.Producer);
        return await client.PostAsJsonAsync("/api/v1/events", EventEnvelopeReader.Write(evt));
    }

    /// <summary>
    /// Posts an event over HTTP and waits until its consumer is done with it (the harness sees a
    /// consumption only once every retry is over), so the next one sees its effects.
    /// </summary>
    public async Task PostAndWaitAsync(IEvent evt)
    {
        using var response = await PostEventAsync(evt);
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        (await ConsumedAsync(evt.EventId)).Exception.ShouldBeNull($"event {evt.EventId} faulted");
    }

    /// <summary>The event's consumption as the harness saw it: waits for it (up to the harness's TestTimeout).</summary>
    public async Task<IReceivedMessage> ConsumedAsync(string eventId)
    {
        bool Matches(IReceivedMessage received) => received.MessageObject is IEvent consumed && consumed.EventId == eventId;

        (await Harness.Consumed.Any(Matches)).ShouldBeTrue($"event {eventId} was not consumed within {Harness.TestTimeout}");
        return Harness.Consumed.Select(Matches).First();
    }

    public async Task<T> WithDbAsync<T>(Func<NoticesDbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<NoticesDbContext>());
    }

    public Task<List<Notice>> NoticesAsync(string clientId) =>
        WithDbAsync(db => db.Notices.AsNoTracking().Where(n => n.ClientId == clientId).OrderBy(n => n.Id).ToListAsync());

    public string[] Letters() =>
        Directory.Exists(LettersFolder) ? [.. Directory.GetFiles(LettersFolder, "*.eml").Order()] : [];

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        _meter?.Dispose();
        if (disposing)
        {
            try
            {
                Directory.Delete(Folder, recursive: true);
            }
            catch (IOException)
            {
                // SQLite may still hold the file for a moment; the temp folder is cleaned by the OS.
            }
        }
    }
}
