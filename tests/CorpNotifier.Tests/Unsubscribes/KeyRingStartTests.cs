using CorpNotifier.Unsubscribes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CorpNotifier.Tests.Unsubscribes;

public sealed class KeyRingStartTests
{
    [Fact]
    public void The_key_ring_is_not_read_when_the_host_starts_but_on_first_use_once_the_database_is_up()
    {
        var services = new ServiceCollection();

        services.AddUnsubscribes();

        services.ShouldNotContain(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType != null && d.ImplementationType.Name == "DataProtectionHostedService",
            "Data Protection's start-up read of the key ring runs before the database is migrated and logs an error");
        services.ShouldContain(d => d.ServiceType == typeof(Microsoft.AspNetCore.DataProtection.IDataProtectionProvider));
    }
}
