using CorpNotifier.Hosting;
using MassTransit;
using Microsoft.Extensions.Options;

namespace CorpNotifier.Messaging;

public static class MessagingServiceCollectionExtensions
{
    /// <summary>
    /// MassTransit per docs/adr/0003: in-process <c>UseMessageRetry</c> only — no delayed
    /// redelivery, no scheduler, no <c>ScheduleSend</c>, because Debian's RabbitMQ has no delayed
    /// message exchange and MassTransit's attempt to declare one closes the whole connection.
    /// Notices wait in the <c>notices</c> table instead. <paramref name="consumers"/> registers the
    /// service's consumers, each with its definition (retry, concurrency, endpoint), from the
    /// folder that owns them.
    /// </summary>
    public static IServiceCollection AddMessaging(this IServiceCollection services, ServiceOptions picks, Action<IBusRegistrationConfigurator> consumers)
    {
        services.AddSectionOptions<MessagingOptions>("Messaging");
        if (picks.Transport == TransportKind.RabbitMq)
        {
            services.AddSectionOptions<RabbitMqOptions>("RabbitMq");
        }

        services.AddOptions<MassTransitHostOptions>().Configure(host =>
        {
            // The process starts whether or not the broker is there: MassTransit connects in the
            // background, retrying, and readiness says so meanwhile. Topology is declared when the
            // receive endpoints start; until the bus is healthy the intake answers 503 rather than
            // publish to an exchange with no queue bound yet (which the broker would drop).
            host.WaitUntilStarted = false;
            host.StopTimeout = TimeSpan.FromSeconds(30);
        });

        services.AddHostedService<BrokerWatch>();
        services.AddMassTransit(bus =>
        {
            bus.DisableUsageTelemetry();
            bus.ConfigureHealthCheckOptions(health =>
            {
                health.Name = "bus";
                health.MinimalFailureStatus = Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Unhealthy;
                health.Tags.Add("ready");
            });
            consumers(bus);
            if (picks.Transport == TransportKind.RabbitMq)
            {
                bus.AddConfigureEndpointsCallback((context, _, endpoint) =>
                {
                    var rabbit = context.GetRequiredService<IOptions<RabbitMqOptions>>().Value;
                    if (endpoint is IRabbitMqReceiveEndpointConfigurator queue)
                    {
                        queue.PrefetchCount = rabbit.PrefetchCount;
                        if (rabbit.QuorumQueues)
                        {
                            queue.SetQuorumQueue();
                        }
                    }
                });
                bus.UsingRabbitMq((context, cfg) =>
                {
                    var rabbit = context.GetRequiredService<IOptions<RabbitMqOptions>>().Value;
                    cfg.Host(rabbit.Host, rabbit.Port, rabbit.VirtualHost, host =>
                    {
                        host.Username(rabbit.Username);
                        host.Password(rabbit.Password);
                        if (rabbit.UseTls)
                        {
                            host.UseSsl(ssl => ssl.ServerName = rabbit.Host);
                        }
                    });
                    cfg.ConfigureEndpoints(context, Formatter(context));
                });
            }
            else
            {
                bus.UsingInMemory((context, cfg) => cfg.ConfigureEndpoints(context, Formatter(context)));
            }
        });
        return services;
    }

    private static KebabCaseEndpointNameFormatter Formatter(IBusRegistrationContext context) =>
        new(context.GetRequiredService<IOptions<MessagingOptions>>().Value.EndpointPrefix, includeNamespace: false);
}
