using System.ComponentModel.DataAnnotations;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace CorpNotifier.Hosting;

/// <summary>Section <c>Telemetry</c>: where metrics and traces go (OTLP, Prometheus's <c>GET /metrics</c>).</summary>
public sealed class TelemetryOptions
{
    /// <summary>An OTLP endpoint (e.g. <c>http://otel-collector:4317</c>); metrics and traces are exported there when set.</summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary>Serve the metrics at <c>GET /metrics</c> for Prometheus to scrape (anonymous, like the health endpoints).</summary>
    public bool Prometheus { get; set; } = true;

    /// <summary>How often the due letters (how many, how old the oldest) are read from the database for their gauges.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan DueLettersSampleInterval { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// What ops watch: events by type and outcome, notices by kind and outcome, how late notices go
/// out, what the sweeper queues. The instruments keep their published names
/// (<c>corp_notifier.letters…</c>). Meter <c>CorpNotifier</c>, next to MassTransit's own; readable with
/// <c>dotnet-counters monitor --counters CorpNotifier</c> or exported over OTLP.
/// </summary>
public sealed class NotifierMetrics
{
    public const string MeterName = "CorpNotifier";

    /// <summary>Lateness buckets, in seconds: a sweep interval's worth up to an hour (the default ones start at 5 s).</summary>
    private static readonly double[] LatenessBuckets = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];

    private readonly Meter _meter;
    private readonly Counter<long> _events;
    private readonly Counter<long> _received;
    private readonly Counter<long> _letters;
    private readonly Histogram<double> _lateness;
    private readonly Counter<long> _claimed;
    private readonly Counter<long> _waits;
    private readonly Counter<long> _sweeps;
    private readonly Counter<long> _conflicts;
    private readonly Counter<long> _authFailures;
    private readonly Counter<long> _authThrottled;
    private readonly Counter<long> _mailerWaits;
    private readonly Counter<long> _mailerRefused;

    public NotifierMetrics(IMeterFactory meters)
        : this(meters, MeterName)
    {
    }

    /// <summary>Under another meter name: the simulation counts its own steps apart from the service's.</summary>
    public NotifierMetrics(IMeterFactory meters, string meterName)
    {
        _meter = meters.Create(meterName);
        _events = _meter.CreateCounter<long>("corp_notifier.events", "{event}", "Events processed, by type and outcome (processed, duplicate)");
        _received = _meter.CreateCounter<long>("corp_notifier.events.received", "{event}", "Events received (their first delivery, before any wait or retry), by type");
        _letters = _meter.CreateCounter<long>("corp_notifier.letters", "{letter}", "Steps of letters' lives, by kind and outcome (created, claimed, sent, rejected, failed, shadowed, retry, dequeued, restored, lease_expired, recipient_accepted)");
        _lateness = _meter.CreateHistogram<double>(
            "corp_notifier.letters.lateness",
            "s",
            "How long after its send_at a letter went out",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatenessBuckets });
        _claimed = _meter.CreateCounter<long>("corp_notifier.sweeper.claimed", "{letter}", "Due letters the sweeper handed to the send path");
        _sweeps = _meter.CreateCounter<long>("corp_notifier.sweeper.runs", "{sweep}", "Sweeps of due letters, by result (completed, skipped while the database is unavailable, failed)");
        _waits = _meter.CreateCounter<long>("corp_notifier.events.waits", "{wait}", "Deliveries put back to wait for data not known yet, by type and what was missing (client, contract)");
        _conflicts = _meter.CreateCounter<long>("corp_notifier.events.conflicts", "{event}", "Events refused because their eventId was received before with a different body, by type");
        _authFailures = _meter.CreateCounter<long>("corp_notifier.auth.failures", "{attempt}", "Unknown API keys presented, by where (api, console)");
        _authThrottled = _meter.CreateCounter<long>("corp_notifier.auth.throttled", "{attempt}", "Keys refused unchecked because their caller used up its failed attempts, by where (api, console) and partition (address, prefix)");
        _mailerWaits = _meter.CreateCounter<long>("corp_notifier.mailer.waits", "{wait}", "Mailer calls that had to wait, by reason (rate, concurrency, retry_after: a pause the mailer asked for)");
        _mailerRefused = _meter.CreateCounter<long>("corp_notifier.mailer.circuit.refused", "{call}", "Mailer calls answered at once because the mailer's circuit was open");
    }

    public void EventReceived(string type) =>
        _received.Add(1, new KeyValuePair<string, object?>("type", type));

    public void EventProcessed(string type, string outcome) =>
        _events.Add(1, new("type", type), new("outcome", outcome));

    /// <summary>An event refused because its id names another event (HTTP 409, or a fault on the bus).</summary>
    public void EventConflicted(string type) =>
        _conflicts.Add(1, new KeyValuePair<string, object?>("type", type));

    public void EventWaited(string type, string missing) =>
        _waits.Add(1, new("type", type), new("missing", missing));

    /// <summary>A step of a notice's life, as the notice ledger names it: created, claimed, sent, retry, dequeued…</summary>
    public void NoticeStep(string kind, string step) =>
        _letters.Add(1, new("kind", kind), new("outcome", step));

    /// <summary>A notice went out, this long after its <c>send_at</c>.</summary>
    public void NoticeSent(string kind, TimeSpan late) =>
        _lateness.Record(Math.Max(0, late.TotalSeconds), new KeyValuePair<string, object?>("kind", kind));

    /// <summary>Due notices the sweeper marked queued and handed to the send path (the instrument keeps its published name).</summary>
    public void Queued(int count) => _claimed.Add(count);

    /// <summary>An unknown API key was presented on the API or the console's sign-in form.</summary>
    public void AuthFailed(string where) =>
        _authFailures.Add(1, new KeyValuePair<string, object?>("where", where));

    /// <summary>A key refused before it was checked: its caller's address or its prefix used up its failed attempts.</summary>
    public void AuthThrottled(string where, string partition) =>
        _authThrottled.Add(1, new("where", where), new("partition", partition));

    /// <summary>A mailer call waited for a rate token, a concurrency slot or the end of a pause the mailer asked for (<c>retry_after</c>).</summary>
    public void MailerWaited(string reason) =>
        _mailerWaits.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>A mailer call refused without reaching the mailer: its circuit was open.</summary>
    public void MailerCircuitRefused() => _mailerRefused.Add(1);

    /// <summary>The mailer circuit's state gauge (0 closed, 1 half-open, 2 open), read when the meter is collected.</summary>
    public void ObserveMailerCircuit(Func<int> state) =>
        _meter.CreateObservableGauge("corp_notifier.mailer.circuit", state, "{state}", "The mailer's circuit: 0 closed, 1 half-open (a probe call), 2 open (the mailer is not called)");

    public void Swept(string result) => _sweeps.Add(1, new KeyValuePair<string, object?>("result", result));
}

public static class TelemetryServiceCollectionExtensions
{
    /// <summary>
    /// Where the service's meter (<see cref="NotifierMetrics"/>, registered with the notice pipeline;
    /// the due-letter gauges with the sweeper) and the others go: metrics exported over OTLP when
    /// <c>Telemetry:OtlpEndpoint</c> is set (traces too) and served for Prometheus unless
    /// <c>Telemetry:Prometheus</c> is false.
    /// </summary>
    public static IServiceCollection AddTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSectionOptions<TelemetryOptions>("Telemetry");
        var telemetry = configuration.GetSection("Telemetry").Get<TelemetryOptions>() ?? new TelemetryOptions();
        var endpoint = telemetry.OtlpEndpoint;
        if (endpoint is null && !telemetry.Prometheus)
        {
            return services;
        }

        var builder = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("corp-notifier"))
            .WithMetrics(metrics =>
            {
                metrics
                    .AddMeter(NotifierMetrics.MeterName, "MassTransit")
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation();
                if (endpoint is not null)
                {
                    metrics.AddOtlpExporter(otlp => otlp.Endpoint = endpoint);
                }

                if (telemetry.Prometheus)
                {
                    metrics.AddPrometheusExporter();
                }
            });
        if (endpoint is not null)
        {
            builder.WithTracing(tracing => tracing
                .AddSource("MassTransit")
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddOtlpExporter(otlp => otlp.Endpoint = endpoint));
        }

        return services;
    }

    /// <summary><c>GET /metrics</c> in Prometheus's text format, anonymous and outside the OpenAPI document; absent when <c>Telemetry:Prometheus</c> is false.</summary>
    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder app)
    {
        if (app.ServiceProvider.GetRequiredService<IOptions<TelemetryOptions>>().Value.Prometheus)
        {
            app.MapPrometheusScrapingEndpoint("/metrics").ExcludeFromDescription();
        }

        return app;
    }
}
