using CorpNotifier.Dispatch;
using CorpNotifier.Hosting;
using CorpNotifier.Messaging;
using CorpNotifier.Operations;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CorpNotifier.Tests.Operations;

/// <summary>The operator commands' list of queues is the one the service's bus declares.</summary>
public sealed partial class ServiceQueuesTests
{
    [Theory]
    [InlineData(null, "corp-notifier")]
    [InlineData("acme-notifier", "acme-notifier")]
    public async Task The_list_matches_the_receive_endpoints_the_service_declares(string? configured, string prefix)
    {
        // The service's own registration (AddMessaging: consumers, definitions, endpoint names) on
        // the in-memory transport; the test harness is not used because it names endpoints its own way.
        var settings = configured is null ? [] : new Dictionary<string, string?> { ["Messaging:EndpointPrefix"] = configured };
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .AddLogging()
            .AddSingleton(TimeProvider.System)
            .AddSingleton<CorpNotifier.Persistence.DatabaseAvailability>();
        services.AddOptions<DispatchOptions>();
        services.AddMessaging(new ServiceOptions(TransportKind.InMemory, DatabaseKind.Sqlite, MailerKind.File, ClientDirectoryKind.Local), bus => bus.AddEventConsumers());
        await using var provider = services.BuildServiceProvider();
        var bus = provider.GetRequiredService<IBusControl>();
        await bus.StartAsync(TestContext());
        try
        {
            var declared = bus.CheckHealth().Endpoints.Values
                .Select(e => e.InputAddress)
                .Where(address => address != bus.Address)
                .Select(address => address.AbsolutePath.Split('/')[^1]);

            declared.Order(StringComparer.Ordinal).ShouldBe(ServiceQueues.Names(prefix).Order(StringComparer.Ordinal));
        }
        finally
        {
            await bus.StopAsync(TestContext());
        }
    }

    [Fact]
    public void The_queues_keep_the_names_ops_rely_on()
    {
        // Operators' shovels, alerts and replays name these queues: a new event type adds one,
        // none is ever renamed.
        ServiceQueues.Names("corp-notifier").ShouldBe(
        [
            "corp-notifier-contract-changed",
            "corp-notifier-balance-changed",
            "corp-notifier-order-completed",
            "corp-notifier-client-profile-changed",
            "corp-notifier-client-request-created",
            "corp-notifier-client-request-status-changed",
            "corp-notifier-manager-request-status-changed",
            "corp-notifier-new-trial-client",
            "corp-notifier-duplicate-trial-client",
            "corp-notifier-contract-settings-changed",
            "corp-notifier-contract-threshold-updated",
            "corp-notifier-events",
        ],
        ignoreOrder: true);
    }

    [Fact]
    public void The_operations_guide_lists_every_queue_the_service_consumes_and_no_other()
    {
        var guide = File.ReadAllText(Repository.PathTo("docs", "operations.md"));
        var section = guide[guide.IndexOf("### What lands in `_error` and why", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n#", 1, StringComparison.Ordinal)];
        var listed = QueueRow().Matches(section).Select(m => m.Groups["queue"].Value).ToList();

        listed.ShouldBe(ServiceQueues.Names("corp-notifier"), ignoreOrder: true, "docs/operations.md's queue table (one row per queue, the queue's full name first)");
    }

    [Theory]
    [InlineData("corp-notifier-events_error")]
    [InlineData("corp-notifier-events")]
    [InlineData("events")]
    public void An_error_queue_can_be_named_three_ways(string typed)
    {
        ServiceQueues.ResolveErrorQueue("corp-notifier", typed).ShouldBe("corp-notifier-events_error");
    }

    [Theory]
    [InlineData("corp-notifier-events_skipped")]
    [InlineData("other-events_error")]
    [InlineData("")]
    public void A_queue_that_is_not_the_services_is_refused(string typed)
    {
        ServiceQueues.ResolveErrorQueue("corp-notifier", typed).ShouldBeNull();
    }

    [Fact]
    public void Replays_go_to_the_queue_the_error_queue_belongs_to()
    {
        ServiceQueues.SourceOf("corp-notifier-balance-changed_error").ShouldBe("corp-notifier-balance-changed");
        Should.Throw<ArgumentException>(() => ServiceQueues.SourceOf("corp-notifier-balance-changed"));
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^\| `(?<queue>corp-notifier-[a-z-]+)` \|", System.Text.RegularExpressions.RegexOptions.Multiline)]
    private static partial System.Text.RegularExpressions.Regex QueueRow();

    private static CancellationToken TestContext() => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;
}
