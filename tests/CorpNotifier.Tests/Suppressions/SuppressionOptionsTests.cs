using CorpNotifier.Suppressions;
using CorpNotifier.Tests.Integration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CorpNotifier.Tests.Suppressions;

/// <summary>The hash key is a secret of the deployment's own outside Development; soft-bounce settings are checked at start.</summary>
public sealed class SuppressionOptionsTests
{
    private static ValidateOptionsResult Validate(string environment, string? key) =>
        new SuppressionKeyValidator(new Environment(environment)).Validate(null, new SuppressionOptions { HashKey = key });

    [Fact]
    public void Outside_development_a_missing_key_fails_the_start_naming_the_key()
    {
        var result = Validate(Environments.Production, null);
        result.Failed.ShouldBeTrue();
        result.FailureMessage.ShouldStartWith("Suppressions:HashKey: is required outside Development");
    }

    [Fact]
    public void Outside_development_the_published_development_key_is_refused_and_a_short_key_too()
    {
        Validate(Environments.Production, SuppressionOptions.DevelopmentKey).FailureMessage!.ShouldContain("published development key");
        Validate(Environments.Production, "short").FailureMessage!.ShouldContain("shorter than 32");
    }

    [Fact]
    public void In_development_and_in_tests_a_missing_key_is_the_development_key()
    {
        Validate(Environments.Development, null).Succeeded.ShouldBeTrue();
        Validate("Testing", null).Succeeded.ShouldBeTrue();
        Validate(Environments.Production, new string('k', 44)).Succeeded.ShouldBeTrue();
    }

    [Fact]
    public void The_hash_is_keyed_and_ignores_case_and_surrounding_space()
    {
        var one = new AddressHasher(new string('a', 32));
        var other = new AddressHasher(new string('b', 32));

        one.Hash(" Billing@Acme.Example ").ShouldBe(one.Hash("billing@acme.example"));
        one.Hash("billing@acme.example").ShouldNotBe(other.Hash("billing@acme.example"));
        one.Hash("billing@acme.example").ShouldMatch("^[0-9a-f]{64}$");
    }

    [Theory]
    [InlineData("Suppressions:SoftBounces", "0", "Suppressions:SoftBounces")]
    [InlineData("Suppressions:SoftBounceWindow", "00:10:00", "Suppressions:SoftBounceWindow")]
    public void A_bad_soft_bounce_setting_fails_the_start_naming_its_key(string key, string value, string named)
    {
        var failure = TestHost.StartFailure(new Dictionary<string, string?> { [key] = value });
        failure.Message.ShouldContain(named);
    }

    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;

        public string ApplicationName { get; set; } = "CorpNotifier";

        public string ContentRootPath { get; set; } = "";

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
