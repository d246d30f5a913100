using CorpNotifier.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace CorpNotifier.Clients;

public static class ClientsServiceCollectionExtensions
{
    /// <summary>The notice pipeline's part (every container that runs it): the local directory's writer, which every event feeds.</summary>
    public static IServiceCollection AddLocalDirectoryWriter(this IServiceCollection services) =>
        services.AddScoped<LocalDirectoryWriter>();

    /// <summary>Where the service reads clients and contracts: the local directory (<c>ClientDirectory = Local</c>) or the owning services over HTTP.</summary>
    public static IServiceCollection AddClientDirectory(this IServiceCollection services, ServiceOptions picks)
    {
        if (picks.ClientDirectory == ClientDirectoryKind.Http)
        {
            services.AddSectionOptions<HttpDirectoryOptions>("HttpDirectory");
            services.AddHttpClient<IClientDirectory, HttpClientDirectory>((sp, http) =>
                {
                    var options = sp.GetRequiredService<IOptions<HttpDirectoryOptions>>().Value;
                    http.BaseAddress = new Uri(options.BaseUrl!.ToString().TrimEnd('/') + "/");
                    http.Timeout = Timeout.InfiniteTimeSpan;
                })
                .AddResilienceHandler("client-directory", (pipeline, context) =>
                {
                    var options = context.ServiceProvider.GetRequiredService<IOptions<HttpDirectoryOptions>>().Value;
                    if (options.Retries > 0)
                    {
                        pipeline.AddRetry(new HttpRetryStrategyOptions
                        {
                            MaxRetryAttempts = options.Retries,
                            Delay = TimeSpan.FromMilliseconds(200),
                            BackoffType = DelayBackoffType.Exponential,
                            UseJitter = true,
                        });
                    }

                    pipeline.AddTimeout(options.Timeout);
                });
        }
        else
        {
            services.AddScoped<IClientDirectory, LocalClientDirectory>();
        }

        return services;
    }
}
