using CorpNotifier.Admin;
using CorpNotifier.Rules;
using CorpNotifier.Tests.Integration;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CorpNotifier.Tests.Hosting;

/// <summary>
/// The notice pipeline is registered once (<c>AddNoticePipeline</c>) for the service, the
/// simulation and the producers' test kit, and each container checks it when it is built: a
/// pipeline class whose dependency is missing stops the build, not the first event or simulation
/// that needs it.
/// </summary>
public sealed class PipelineRegistrationTests
{
    [Fact]
    public async Task The_simulation_s_container_refuses_to_build_when_a_pipeline_class_lacks_a_dependency()
    {
        await using var connection = new SqliteConnection("Data Source=:memory:");
        var services = SimulationPipeline.Register(KitSource(), new VirtualClock(DateTimeOffset.UnixEpoch), settings: null, connection);
        await using (SimulationPipeline.Build(services))
        {
            // As registered, every pipeline class has what it needs.
        }

        // EventProcessor and NoticeSender take the local directory's writer: without it the build
        // fails at once, before anything is resolved.
        services.RemoveAll<LocalDirectoryWriter>();

        var refused = Should.Throw<AggregateException>(() => SimulationPipeline.Build(services));
        refused.Message.ShouldContain(nameof(LocalDirectoryWriter));
        refused.Message.ShouldContain(nameof(EventProcessor));
    }

    [Fact]
    public async Task A_new_constructor_dependency_of_a_pipeline_class_that_nothing_registers_stops_the_simulation_s_build()
    {
        await using var connection = new SqliteConnection("Data Source=:memory:");
        var services = SimulationPipeline.Register(KitSource(), new VirtualClock(DateTimeOffset.UnixEpoch), settings: null, connection);

        // The scheduler as a later version might write it: one more constructor dependency, which
        // nothing registers. (It stands in for the sealed class; the build checks dependencies.)
        services.Replace(ServiceDescriptor.Scoped(typeof(NoticeScheduler), typeof(SchedulerWithANewDependency)));

        var refused = Should.Throw<AggregateException>(() => SimulationPipeline.Build(services));
        refused.Message.ShouldContain(nameof(INewDependency));
    }

    [Fact]
    public void The_service_refuses_to_start_in_tests_when_a_pipeline_class_lacks_a_dependency()
    {
        using var host = new TestHost().WithWebHostBuilder(builder =>
            builder.ConfigureTestServices(services => services.RemoveAll<LocalDirectoryWriter>()));

        var refused = Should.Throw<AggregateException>(() => host.Services);
        refused.Message.ShouldContain(nameof(LocalDirectoryWriter));
    }

    [Fact]
    public void The_service_registers_each_pipeline_class_once_through_the_pipeline_s_registration()
    {
        var pipeline = new ServiceCollection().AddNoticePipeline()
            .Where(d => d.ServiceType.Assembly == typeof(NoticeRule).Assembly && d.ServiceType != typeof(NoticeRule))
            .ToList();
        IServiceCollection? registered = null;
        using var host = new TestHost().WithWebHostBuilder(builder =>
            builder.ConfigureTestServices(services => registered = services));
        _ = host.Services;

        pipeline.Select(d => d.ServiceType.Name).ShouldContain(nameof(EventProcessor));
        foreach (var descriptor in pipeline)
        {
            var inHost = registered!.Where(d => d.ServiceType == descriptor.ServiceType).ToList();
            inHost.Count.ShouldBe(1, $"{descriptor.ServiceType.Name} is registered {inHost.Count} times in the service");
            inHost[0].Lifetime.ShouldBe(descriptor.Lifetime, descriptor.ServiceType.Name);
            inHost[0].ImplementationType.ShouldBe(descriptor.ImplementationType, descriptor.ServiceType.Name);
        }
    }

    /// <summary>The source the producers' test kit builds its pipeline from: a configuration of its own, no templates folder.</summary>
    private static SimulationSource KitSource() => new(new ConfigurationBuilder().Build(), Environment: null);

    public interface INewDependency;

    private sealed class SchedulerWithANewDependency(INewDependency dependency)
    {
        public INewDependency Dependency { get; } = dependency;
    }
}
