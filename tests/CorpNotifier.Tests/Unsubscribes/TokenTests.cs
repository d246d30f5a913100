using CorpNotifier.Rules;
using CorpNotifier.Tests.Integration;
using CorpNotifier.Unsubscribes;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace CorpNotifier.Tests.Unsubscribes;

/// <summary>An unsubscribe token opens to what it was made for, hides the address, and refuses tampering and age.</summary>
public sealed class TokenTests
{
    private readonly TestClock _clock = new();
    private readonly IDataProtectionProvider _keys = new EphemeralDataProtectionProvider();

    private UnsubscribeTokens Tokens(IDataProtectionProvider? keys = null) =>
        new(keys ?? _keys, _clock, Options.Create(new UnsubscribeOptions { TokenLifetime = TimeSpan.FromDays(60) }));

    [Fact]
    public void A_token_opens_to_its_address_category_kind_letter_and_locale()
    {
        var token = Tokens().Create("Billing@Acme.example", NoticeCategory.Reminders, "FirstRemindPrepaidNotice", 42, "ru", _clock.GetUtcNow());

        var read = Tokens().Read(token).ShouldBeOfType<TokenReading.Valid>().Token;
        read.Address.ShouldBe("billing@acme.example");
        read.Category.ShouldBe("reminders");
        read.Kind.ShouldBe("FirstRemindPrepaidNotice");
        read.NoticeId.ShouldBe(42);
        read.Locale.ShouldBe("ru");
        read.ExpiresAt.ShouldBe(_clock.GetUtcNow().AddDays(60), TimeSpan.FromSeconds(2));
    }

    [Fact]
    public void A_token_is_url_safe_and_does_not_show_the_address()
    {
        var token = Tokens().Create("billing@acme.example", NoticeCategory.Onboarding, "PrepaidFirstTakeARideNotice", 1, "en", _clock.GetUtcNow());

        token.ShouldNotContain("billing");
        token.ShouldNotContain("acme");
        token.ShouldMatch("^[A-Za-z0-9_-]+$");
    }

    [Fact]
    public void A_tampered_token_is_invalid()
    {
        var token = Tokens().Create("billing@acme.example", NoticeCategory.Reminders, "FirstRemindPrepaidNotice", 42, "ru", _clock.GetUtcNow());
        var middle = token.Length / 2;
        var tampered = token[..middle] + (token[middle] == 'A' ? 'B' : 'A') + token[(middle + 1)..];

        Tokens().Read(tampered).ShouldBeOfType<TokenReading.Invalid>();
        Tokens().Read(token[..^4]).ShouldBeOfType<TokenReading.Invalid>();
        Tokens().Read("not a token").ShouldBeOfType<TokenReading.Invalid>();
        Tokens().Read("").ShouldBeOfType<TokenReading.Invalid>();
    }

    [Fact]
    public void A_token_made_with_other_keys_is_invalid()
    {
        var token = Tokens(new EphemeralDataProtectionProvider()).Create("billing@acme.example", NoticeCategory.Reminders, "FirstRemindPrepaidNotice", 42, "ru", _clock.GetUtcNow());

        Tokens().Read(token).ShouldBeOfType<TokenReading.Invalid>();
    }

    [Fact]
    public void A_token_older_than_its_lifetime_is_expired()
    {
        var token = Tokens().Create("billing@acme.example", NoticeCategory.Reminders, "FirstRemindPrepaidNotice", 42, "ru", _clock.GetUtcNow());

        _clock.Advance(TimeSpan.FromDays(59));
        Tokens().Read(token).ShouldBeOfType<TokenReading.Valid>();
        _clock.Advance(TimeSpan.FromDays(1.1));
        Tokens().Read(token).ShouldBeOfType<TokenReading.Expired>().Token.Address.ShouldBe("billing@acme.example");
    }
}
