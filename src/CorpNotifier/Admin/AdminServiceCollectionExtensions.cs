using CorpNotifier.Auth;
using CorpNotifier.Calendars;
using CorpNotifier.Hosting;
using CorpNotifier.Messaging;
using CorpNotifier.Operations;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace CorpNotifier.Admin;

public static class AdminServiceCollectionExtensions
{
    public const string OpenApiPath = "/openapi/v1.json";

    /// <summary>The icon the API reference shows (served by the console, <c>AdminUi</c>).</summary>
    public const string FaviconPath = "/favicon.svg";

    /// <summary>
    /// The application layer the admin API and the console share: queries (notices, audit,
    /// settings), the operators' actions (notices, settings, error queues), and the simulator.
    /// </summary>
    public static IServiceCollection AddAdmin(this IServiceCollection services)
    {
        services.AddScoped<NoticeQueries>();
        services.AddScoped<NoticeWaits>();
        services.AddScoped<ClientQueries>();
        services.AddScoped<AuditQueries>();
        services.AddScoped<SettingsQueries>();
        services.AddScoped<NoticeOperations>();
        services.AddScoped<ParkedEventQueries>();
        services.AddScoped<ParkedEventOperations>();
        services.AddScoped<SettingsOperations>();
        services.AddCalendarStorage();
        services.AddScoped<CalendarQueries>();
        services.AddScoped<CalendarOperations>();
        services.AddScoped<UnsubscribeOperations>();
        services.AddSingleton(provider => new ErrorQueues(new OperatorSettings(
            provider.GetRequiredService<ServiceOptions>().Transport,
            provider.GetRequiredService<IOptions<RabbitMqOptions>>().Value,
            provider.GetRequiredService<IOptions<MessagingOptions>>().Value.EndpointPrefix)));
        services.AddScoped<ErrorQueueOperations>();
        services.AddScoped<Simulator>();
        services.AddOpenApi("v1", options => options.AddDocumentTransformer<ApiKeyDocumentTransformer>());
        return services;
    }

    /// <summary>
    /// The operators' API (notices to read and act on, the would-send report, settings, audit,
    /// simulation), the OpenAPI document and its interactive reference at <c>/docs</c>.
    /// </summary>
    public static IEndpointRouteBuilder MapAdmin(this IEndpointRouteBuilder app)
    {
        app.MapNoticesApi();
        app.MapShadowReportApi();
        app.MapAdminNoticesApi();
        app.MapParkedEventsApi();
        app.MapSettingsApi();
        app.MapCalendarsApi();
        app.MapUnsubscribesApi();
        app.MapAuditApi();
        app.MapSimulateApi();
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/docs", options => options
            .WithTitle("corp-notifier API")
            .WithOpenApiRoutePattern("/openapi/{documentName}.json")
            .AddPreferredSecuritySchemes(ApiKeyAuthenticationHandler.SchemeName)
            // No calls home from an operators' page of a service that holds client data, and no
            // request to any other host either: no web fonts (the system's are used), the icon is ours.
            .DisableTelemetry()
            .DisableDefaultFonts()
            .WithFavicon(FaviconPath)
            .DisableAgent()
            .DisableMcp()
            .HideDeveloperTools());
        return app;
    }

    /// <summary>Describes the API key header in the document, so the reference page can send it.</summary>
    private sealed class ApiKeyDocumentTransformer : IOpenApiDocumentTransformer
    {
        public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
        {
            document.Info = new OpenApiInfo
            {
                Title = "corp-notifier",
                Version = "v1",
                Description = "The one place that sends email to corporate clients: event intake, notices, settings, audit. "
                    + "Authenticate with an API key in the X-Api-Key header; roles: producer, viewer, operator, admin.",
            };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[ApiKeyAuthenticationHandler.SchemeName] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = ApiKeyAuthenticationHandler.Header,
                Description = "An API key; its role decides what it may do.",
            };
            document.Security ??= [];
            document.Security.Add(new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(ApiKeyAuthenticationHandler.SchemeName, document)] = [],
            });
            return Task.CompletedTask;
        }
    }
}
