using CorpNotifier.Tests.Integration;

namespace CorpNotifier.Tests.Hosting;

/// <summary>A bad configuration stops the start with a message that names the key.</summary>
public sealed class StartupValidationTests
{
    [Theory]
    [InlineData("Transport", "Kafka", "Configuration key 'Transport' has the value 'Kafka'; expected one of InMemory, RabbitMq.")]
    [InlineData("Database", "Oracle", "Configuration key 'Database' has the value 'Oracle'")]
    [InlineData("Mailer", "Pigeon", "Configuration key 'Mailer' has the value 'Pigeon'")]
    public void An_unknown_pick_names_its_key(string key, string value, string message)
    {
        using var host = new TestHost(new Dictionary<string, string?> { [key] = value });
        Should.Throw<InvalidOperationException>(() => host.CreateClient()).Message.ShouldContain(message);
    }

    [Fact]
    public void Postgres_without_a_connection_string_names_the_missing_key()
    {
        using var host = new TestHost(new Dictionary<string, string?> { ["Database"] = "Postgres" });
        Should.Throw<InvalidOperationException>(() => host.CreateClient()).Message
            .ShouldBe("Configuration key 'ConnectionStrings:Postgres' is required when Database is Postgres.");
    }

    [Theory]
    [InlineData("Dispatch:BatchSize", "0", "Dispatch:BatchSize: The field BatchSize must be between 1 and 10000.")]
    [InlineData("Intake:MaxBodyBytes", "10", "Intake:MaxBodyBytes:")]
    [InlineData("Notices:NoSuchNotice:Enabled", "true", "Notices:NoSuchNotice: unknown notice kind")]
    [InlineData("Notices:LowBalanceNotice:Offset", "-01:00:00", "Notices:LowBalanceNotice:Offset: must not be negative")]
    [InlineData("Notices:LowBalanceNotice:ExtraRecipients:default:0", "not-an-address", "Notices:LowBalanceNotice:ExtraRecipients:default:0: 'not-an-address' is not an email address.")]
    [InlineData("Notices:LowBalanceNotice:Offset", "400.00:00:00", "Notices:LowBalanceNotice:Offset: must be at most 365.00:00:00 (was 400.00:00:00).")]
    [InlineData("Notices:LowBalanceNotice:Mode", "7", "Notices:LowBalanceNotice:Mode: must be Live or Shadow (was '7').")]
    [InlineData("Notices:LowBalanceNotice:Slugs:rus", " ", "Notices:LowBalanceNotice:Slugs:rus: must not be empty.")]
    [InlineData("Notices:LowBalanceNotice:Slugs:RUS", "low-balance", "Notices:LowBalanceNotice:Slugs:RUS: 'RUS' is not a country")]
    [InlineData("Notices:LowBalanceNotice:ExtraRecipients:russia:0", "team@corp.example", "Notices:LowBalanceNotice:ExtraRecipients:russia: 'russia' is not a country")]
    public void An_invalid_option_names_its_key(string key, string value, string message)
    {
        var failure = TestHost.StartFailure(new Dictionary<string, string?> { [key] = value });
        failure.Message.ShouldContain(message);
    }

    [Fact]
    public void The_sender_mailer_requires_its_address_account_and_key()
    {
        var failure = TestHost.StartFailure(new Dictionary<string, string?> { ["Mailer"] = "Sender" });
        failure.Failures.ShouldContain(f => f.StartsWith("Sender:BaseUrl:", StringComparison.Ordinal));
        failure.Failures.ShouldContain(f => f.StartsWith("Sender:Account:", StringComparison.Ordinal));
        failure.Failures.ShouldContain(f => f.StartsWith("Sender:ApiKey:", StringComparison.Ordinal));
    }
}
