using System.Diagnostics.Metrics;
using CorpNotifier.Calendars;
using CorpNotifier.Clients;
using CorpNotifier.Contracts;
using CorpNotifier.Dispatch;
using CorpNotifier.Hosting;
using CorpNotifier.Intake;
using CorpNotifier.Mailers;
using CorpNotifier.Notices;
using CorpNotifier.Persistence;
using CorpNotifier.Rules;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Abstractions;

namespace CorpNotifier.Admin;

/// <summary>A clock the simulation moves: never backwards.</summary>
public sealed class VirtualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void MoveTo(DateTimeOffset moment)
    {
        if (moment > _now)
        {
            _now = moment;
        }
    }
}

/// <summary>
/// What a simulation takes from the service it simulates: its configuration (the options the
/// pipeline reads: delays' defaults, secrets' keys, the staff's domain…) and its content root (the
/// templates folder, for the display text). Without a content root — the producers' test kit,
/// which has no templates folder — the display text is the one built into the assembly.
/// </summary>
internal sealed record SimulationSource(IConfiguration Configuration, IHostEnvironment? Environment)
{
    /// <summary>The service's business calendars, with the years operators edited; <c>null</c>: the shipped ones (the producers' kit).</summary>
    public BusinessCalendars? Calendars { get; init; }
}

/// <summary>
/// The service's own notice pipeline (<see cref="NoticePipelineServiceCollectionExtensions.AddNoticePipeline"/>:
/// <see cref="EventProcessor"/>, the rules, <see cref="NoticeLedger"/>, <see cref="NoticeSender"/>
/// with its checks, the local client directory) on what a simulation has of its own: a private
/// in-memory SQLite database, a virtual clock, a fixed copy of the settings, a mailer that accepts
/// everything, and a meter apart from the service's.
/// </summary>
internal sealed class SimulationPipeline : IAsyncDisposable
{
    private const string MeterName = "CorpNotifier.Simulation";
    private readonly SqliteConnection _connection;
    private readonly ServiceProvider _services;

    private SimulationPipeline(SqliteConnection connection, ServiceProvider services)
    {
        _connection = connection;
        _services = services;
    }

    /// <summary>A new pipeline on its own empty database.</summary>
    /// <param name="source">The configuration and content the pipeline is built from.</param>
    /// <param name="clock">The simulation's clock.</param>
    /// <param name="settings">The letters' settings for the whole run; <c>null</c> for every letter's defaults (configuration and the rules').</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<SimulationPipeline> StartAsync(SimulationSource source, VirtualClock clock, IReadOnlyDictionary<string, EffectiveNoticeSettings>? settings, CancellationToken cancellationToken)
    {
        // A private in-memory database lives as long as its one open connection.
        var connection = new SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync(cancellationToken);
        ServiceProvider provider;
        try
        {
            provider = Build(Register(source, clock, settings, connection));
            await using var scope = provider.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<NoticesDbContext>().Database.EnsureCreatedAsync(cancellationToken);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        return new SimulationPipeline(connection, provider);
    }

    /// <summary>The simulation's services: the pipeline as the service registers it, and what a simulation has of its own.</summary>
    internal static ServiceCollection Register(SimulationSource source, TimeProvider clock, IReadOnlyDictionary<string, EffectiveNoticeSettings>? settings, SqliteConnection connection)
    {
        var services = new ServiceCollection();
        services.AddSingleton(source.Configuration);
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddNoticePipeline();

        // What differs from the service.
        if (source.Environment is { } environment)
        {
            services.AddSingleton(environment);
        }
        else
        {
            services.Replace(ServiceDescriptor.Singleton(DisplayText.BuiltIn(NullLogger.Instance)));
        }

        if (source.Calendars is { } calendars)
        {
            services.Replace(ServiceDescriptor.Singleton(calendars));
        }

        services.AddSingleton<TimeProvider>(clock);
        services.Replace(ServiceDescriptor.Singleton(sp => new NotifierMetrics(sp.GetRequiredService<IMeterFactory>(), MeterName)));
        services.Configure<InstanceOptions>(instance => instance.Name = "simulation");
        var database = new DatabaseAvailability();
        database.Open(clock.GetUtcNow(), afterOutage: false);
        services.AddSingleton(database);
        services.AddDbContext<NoticesDbContext, SqliteNoticesDbContext>(options => options
            .UseSqlite(connection)
            .UseSnakeCaseNamingConvention());
        services.AddScoped<IClientDirectory, LocalClientDirectory>();
        if (settings is null)
        {
            services.AddSingleton<INoticeSettingsSource, DefaultSettings>();
        }
        else
        {
            services.AddSingleton<INoticeSettingsSource>(new FixedSettings(settings));
        }

        services.AddSingleton<IMailer, AcceptingMailer>();
        return services;
    }

    /// <summary>Builds the simulation's container, checking every registration first: a dependency the pipeline lacks stops the build.</summary>
    internal static ServiceProvider Build(IServiceCollection services) =>
        services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });

    /// <summary>The client and the contract as the simulation starts with them.</summary>
    public async Task SeedAsync(string clientId, SimulatedClient? client, SimulatedContract? contract, CancellationToken cancellationToken)
    {
        await using var scope = _services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NoticesDbContext>();
        var now = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow();
        db.Clients.Add(new ClientRecord
        {
            ClientId = clientId,
            Name = client?.Name,
            Country = client?.Country,
            Locale = client?.Locale,
            TimeZone = client?.TimeZone,
            Emails = [.. client?.Emails ?? []],
            HasSuccessfulOrder = client?.HasSuccessfulOrder ?? false,
            UpdatedAt = now,
        });
        if (contract is { ContractId: { } contractId, State: { } state })
        {
            db.Contracts.Add(new ContractRecord
            {
                ContractId = contractId,
                ClientId = clientId,
                ExternalId = contract.ExternalId,
                State = state,
                StateOccurredAt = DateTimeOffset.MinValue,
                UpdatedAt = now,
            });
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// The event, as a consumer would process it once it stopped waiting for data in-process (parked
    /// if its data is still missing); an event that brings data runs the parked events waiting for it.
    /// </summary>
    public async Task<EventResult> ProcessAsync(IEvent evt, CancellationToken cancellationToken)
    {
        await using var scope = _services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<EventProcessor>().ProcessAsync(evt, EventProcessor.ContractWaitRetries, cancellationToken);
        if (result.ReleasesWaitingOf is { } clientId)
        {
            var run = await scope.ServiceProvider.GetRequiredService<ParkedEvents>().RunWaitingAsync(clientId, cancellationToken);
            result = result with { Created = [.. result.Created, .. run.Created], Notes = [.. result.Notes, .. run.Notes] };
        }

        return result;
    }

    /// <summary>The pending notice that falls due first, by <paramref name="until"/>.</summary>
    public async Task<(long Id, DateTimeOffset SendAt)?> NextDueAsync(DateTimeOffset until, CancellationToken cancellationToken)
    {
        await using var scope = _services.CreateAsyncScope();
        var next = await scope.ServiceProvider.GetRequiredService<NoticesDbContext>().Notices.AsNoTracking()
            .Where(n => n.Status == NoticeStatus.Pending && n.SendAt <= until)
            .OrderBy(n => n.SendAt).ThenBy(n => n.Id)
            .Select(n => new { n.Id, n.SendAt })
            .FirstOrDefaultAsync(cancellationToken);
        return next is null ? null : (next.Id, next.SendAt);
    }

    /// <summary>The send path, for one due notice.</summary>
    public async Task SendAsync(long id, CancellationToken cancellationToken)
    {
        await using var scope = _services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<NoticeSender>().SendAsync(id, cancellationToken);
    }

    public async Task<IReadOnlyList<SimulatedLetter>> LettersAsync(CancellationToken cancellationToken)
    {
        await using var scope = _services.CreateAsyncScope();
        var notices = await scope.ServiceProvider.GetRequiredService<NoticesDbContext>().Notices.AsNoTracking()
            .OrderBy(n => n.Id)
            .ToListAsync(cancellationToken);
        return notices.Select(n => new SimulatedLetter(
            n.Kind,
            n.ContractId,
            n.EventId ?? "",
            n.CreatedAt,
            n.SendAt,
            WireName.Of(n.Status),
            n.Status switch
            {
                NoticeStatus.Pending or NoticeStatus.Sending => null,
                NoticeStatus.Sent => n.SentAt,
                _ => n.UpdatedAt,
            },
            n.ReasonCode,
            n.Reason,
            n.SentSlug,
            n.SentTo,
            n.Args.ToDictionary(a => a.Key, a => (object?)a.Value?.ToString()))).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await _connection.DisposeAsync();
    }

    /// <summary>Every letter as configuration and the rules give it when no operator changed it.</summary>
    private sealed class DefaultSettings(NoticeCatalog catalog, NoticeSettingsDefaults defaults) : INoticeSettingsSource
    {
        public Task<EffectiveNoticeSettings> GetAsync(string kind, CancellationToken cancellationToken) => Task.FromResult(defaults.Get(kind));

        public Task<IReadOnlyDictionary<string, EffectiveNoticeSettings>> GetAllAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyDictionary<string, EffectiveNoticeSettings>>(catalog.Rules.ToDictionary(r => r.Kind, r => defaults.Get(r.Kind), StringComparer.Ordinal));
    }

    /// <summary>The settings of the moment the simulation started.</summary>
    private sealed class FixedSettings(IReadOnlyDictionary<string, EffectiveNoticeSettings> settings) : INoticeSettingsSource
    {
        public Task<EffectiveNoticeSettings> GetAsync(string kind, CancellationToken cancellationToken) => Task.FromResult(settings[kind]);

        public Task<IReadOnlyDictionary<string, EffectiveNoticeSettings>> GetAllAsync(CancellationToken cancellationToken) => Task.FromResult(settings);
    }

    /// <summary>Takes every letter; sends nothing.</summary>
    private sealed class AcceptingMailer : IMailer
    {
        public Task<MailResult> SendAsync(Letter letter, CancellationToken cancellationToken) =>
            Task.FromResult<MailResult>(new MailResult.Accepted(null));
    }
}
