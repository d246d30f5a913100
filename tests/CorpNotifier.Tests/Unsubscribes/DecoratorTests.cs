using System.Text.Json.Nodes;
using CorpNotifier.Mailers;
using CorpNotifier.Rules;
using CorpNotifier.Tests.Integration;
using CorpNotifier.Unsubscribes;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace CorpNotifier.Tests.Unsubscribes;

/// <summary>Optional letters carry the one-click headers and arguments; mandatory ones never do.</summary>
public sealed class DecoratorTests
{
    private readonly TestClock _clock = new();
    private readonly IDataProtectionProvider _keys = new EphemeralDataProtectionProvider();

    private UnsubscribeDecorator Decorator(string? baseUrl = "https://notify.example/")
    {
        var options = Options.Create(new UnsubscribeOptions { BaseUrl = baseUrl });
        return new UnsubscribeDecorator(NoticeCatalog.Discover(), new UnsubscribeTokens(_keys, _clock, options), options);
    }

    private static Letter Letter(string kind) => new(7, kind, "slug", "billing@acme.example", "ru", new JsonObject { ["contract_id"] = "contract-7" });

    [Fact]
    public void An_optional_letter_gets_the_list_unsubscribe_headers_and_the_link_as_arguments()
    {
        var letter = Decorator().Decorate(Letter("FirstRemindPrepaidNotice"), _clock.GetUtcNow());

        var link = letter.Args["unsubscribe_url"]!.GetValue<string>();
        link.ShouldStartWith("https://notify.example/unsubscribe/");
        letter.Headers["List-Unsubscribe"].ShouldBe($"<{link}>");
        letter.Headers["List-Unsubscribe-Post"].ShouldBe("List-Unsubscribe=One-Click");
        letter.Args["list_unsubscribe"]!.GetValue<string>().ShouldBe($"<{link}>");
        letter.Args["list_unsubscribe_post"]!.GetValue<string>().ShouldBe("List-Unsubscribe=One-Click");
        letter.Args["contract_id"]!.GetValue<string>().ShouldBe("contract-7");
        link.ShouldNotContain("acme");
    }

    [Theory]
    [InlineData("LimitIsOverNotice")]
    [InlineData("LowBalanceNotice")]
    [InlineData("ActivateClientNotice")]
    [InlineData("ClientRequestAcceptedNotice")]
    public void A_mandatory_letter_is_left_as_it_is(string kind)
    {
        var original = Letter(kind);
        var letter = Decorator().Decorate(original, _clock.GetUtcNow());

        letter.ShouldBeSameAs(original);
        letter.Headers.ShouldBeEmpty();
        letter.Args.ContainsKey("unsubscribe_url").ShouldBeFalse();
    }

    [Fact]
    public void Without_a_base_url_no_link_is_added()
    {
        var original = Letter("PrepaidFirstTakeARideNotice");
        Decorator(baseUrl: null).Decorate(original, _clock.GetUtcNow()).ShouldBeSameAs(original);
    }
}
