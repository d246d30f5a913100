namespace CorpNotifier.SystemTests;

/// <summary>
/// The harness's readiness rule as a test meets it when a start goes wrong: a loud failure that
/// names what it waited for and shows what the process said, at once rather than at the timeout.
/// </summary>
[Trait("Category", "System")]
public sealed class ServiceProcessTests
{
    [Fact]
    public async Task A_service_that_exits_at_start_fails_the_start_at_once_naming_the_address_it_waited_for_and_showing_its_output()
    {
        var start = new ServiceStart(new Dictionary<string, string> { ["Transport"] = "CarrierPigeon" }) { Name = "misconfigured" };
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var failure = await Should.ThrowAsync<InvalidOperationException>(() => ServiceProcess.StartAsync(start));

        watch.Elapsed.ShouldBeLessThan(ServiceProcess.StartTimeout / 2, "a process that exited is not waited for until the timeout");
        failure.Message.ShouldStartWith($"misconfigured (dotnet {HostBuild.Dll}) exited with code ");
        failure.Message.ShouldContain("/health/ready answered 200");
        failure.Message.ShouldContain("Its last lines:\nUnhandled exception.");
    }
}
