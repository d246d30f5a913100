using CorpNotifier.Auth;
using CorpNotifier.Tests.Integration;
using Microsoft.Extensions.Hosting.Internal;

namespace CorpNotifier.Tests.Hosting;

/// <summary>The README's well-known development keys work in Development only.</summary>
public sealed class DevelopmentKeysTests
{
    [Fact]
    public void Outside_Development_a_well_known_development_key_stops_the_start_naming_it()
    {
        var failure = TestHost.StartFailure(new Dictionary<string, string?>
        {
            ["Auth:ApiKeys:4:Name"] = "copied-from-dev",
            ["Auth:ApiKeys:4:Role"] = Roles.Admin,
            ["Auth:ApiKeys:4:Sha256"] = AuthOptions.Hash("dev-admin-key"),
        });

        failure.Message.ShouldContain("copied-from-dev use a well-known development key");
        failure.Message.ShouldContain("Testing");
    }

    [Theory]
    [InlineData("Development", true)]
    [InlineData("Production", false)]
    [InlineData("Staging", false)]
    public void Every_development_key_is_accepted_in_Development_only(string environment, bool accepted)
    {
        var validator = new DevelopmentKeysValidator(new HostingEnvironment { EnvironmentName = environment });

        foreach (var key in DevelopmentKeysValidator.Keys)
        {
            var options = new AuthOptions { ApiKeys = [new ApiKeyEntry { Name = "someone", Role = Roles.Viewer, Sha256 = AuthOptions.Hash(key).ToUpperInvariant() }] };
            validator.Validate(null, options).Succeeded.ShouldBe(accepted, key);
        }

        var own = new AuthOptions { ApiKeys = [new ApiKeyEntry { Name = "someone", Role = Roles.Viewer, Sha256 = AuthOptions.Hash("a key of our own") }] };
        validator.Validate(null, own).Succeeded.ShouldBeTrue();
    }
}
