using System.Text.Json.Nodes;
using CorpNotifier.Mailers;
using CorpNotifier.Rules;
using CorpNotifier.Tests.Integration;
using CorpNotifier.Unsubscribes;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace CorpNotifier.Tests.Unsubscribes;

/// <summary>Optional letters carry the one-click headers and arguments, and a footer with the link in their bodies; mandatory ones never do.</summary>
public sealed partial class DecoratorTests
{
    private readonly TestClock _clock = new();
    private readonly IDataProtectionProvider _keys = new EphemeralDataProtectionProvider();

    private UnsubscribeDecorator Decorator(string? baseUrl = "https://notify.example/")
    {
        var options = Options.Create(new UnsubscribeOptions { BaseUrl = baseUrl });
        return new UnsubscribeDecorator(NoticeCatalog.Discover(), new UnsubscribeTokens(_keys, _clock, options), options);
    }

    private static Letter Letter(string kind, string locale = "ru") => new(7, kind, "slug", "billing@acme.example", locale, new JsonObject { ["contract_id"] = "contract-7" });

    private static RenderedLetter Rendered(string locale) =>
        new("Subject", "<html><body><p>Hello</p>\n</body></html>", "Hello\n", locale);

    /// <summary>The message the SMTP and file mailers would send for the letter, rendered in <paramref name="renderedIn"/>.</summary>
    private static MimeKit.MimeMessage Message(Letter letter, string renderedIn) =>
        MimeLetterBuilder.Build(letter, Rendered(renderedIn), new MailOptions());

    private static string TokenOf(string link) => link[(link.LastIndexOf('/') + 1)..];

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

    [Fact]
    public void An_optional_letter_s_html_and_text_carry_a_footer_with_the_link_whose_token_works()
    {
        var letter = Decorator().Decorate(Letter("FirstRemindPrepaidNotice"), _clock.GetUtcNow());
        var link = letter.Args["unsubscribe_url"]!.GetValue<string>();

        var message = Message(letter, "ru");

        var html = message.HtmlBody.ShouldNotBeNull();
        var href = Href().Match(html);
        href.Success.ShouldBeTrue(html);
        System.Net.WebUtility.HtmlDecode(href.Groups[1].Value).ShouldBe(link);
        html.IndexOf(href.Value, StringComparison.Ordinal).ShouldBeGreaterThan(html.IndexOf("<p>Hello</p>", StringComparison.Ordinal));
        html.IndexOf(href.Value, StringComparison.Ordinal).ShouldBeLessThan(html.IndexOf("</body>", StringComparison.Ordinal));
        html.ShouldEndWith("</body></html>");
        var text = message.TextBody.ShouldNotBeNull();
        text.ShouldStartWith("Hello\n\n");
        text.ShouldContain($"отпишитесь: {link}");

        var read = Tokens().Read(TokenOf(link)).ShouldBeOfType<TokenReading.Valid>().Token;
        read.Address.ShouldBe("billing@acme.example");
        read.Category.ShouldBe(NoticeCategory.Reminders.Name);
        read.NoticeId.ShouldBe(7);
    }

    [Theory]
    [InlineData("LimitIsOverNotice")]
    [InlineData("ActivateClientNotice")]
    public void A_mandatory_letter_s_bodies_get_no_footer(string kind)
    {
        var letter = Decorator().Decorate(Letter(kind), _clock.GetUtcNow());

        var message = Message(letter, "ru");

        message.HtmlBody.ShouldBe(Rendered("ru").Html);
        message.TextBody.ShouldBe(Rendered("ru").Text);
        message.HtmlBody!.ShouldNotContain("/unsubscribe/");
    }

    [Theory]
    [InlineData("ru", "ru", "Чтобы больше не получать такие письма, ", "отпишитесь", "Письма о балансе, доступе, договоре и заявках будут приходить по-прежнему.")]
    [InlineData("en", "en", "To stop getting letters like this one, ", "unsubscribe", "Letters about your balance, access, contract and requests still come.")]
    [InlineData("de", "ru", "Чтобы больше не получать такие письма, ", "отпишитесь", "Письма о балансе, доступе, договоре и заявках будут приходить по-прежнему.")]
    [InlineData("en-GB", "en-GB", "To stop getting letters like this one, ", "unsubscribe", "Letters about your balance, access, contract and requests still come.")]
    public void The_footer_is_in_the_language_the_letter_is_rendered_in(string locale, string renderedIn, string before, string action, string still)
    {
        var letter = Decorator().Decorate(Letter("PrepaidFirstTakeARideNotice", locale), _clock.GetUtcNow());
        var link = letter.Args["unsubscribe_url"]!.GetValue<string>();

        var message = Message(letter, renderedIn);

        message.HtmlBody!.ShouldContain($"{before}<a href=\"{link}\"");
        message.HtmlBody!.ShouldContain($">{action}</a>. {still}</p>");
        message.TextBody!.ShouldEndWith($"{before}{action}: {link}\n{still}\n");
    }

    [Fact]
    public void The_footer_s_html_is_encoded()
    {
        var footer = UnsubscribeDecorator.Footer("https://notify.example/unsubscribe/a\"><script>&b", "en");

        footer.Html.ShouldContain("href=\"https://notify.example/unsubscribe/a&quot;&gt;&lt;script&gt;&amp;b\"");
        footer.Html.ShouldNotContain("<script>");
        footer.Text.ShouldContain("https://notify.example/unsubscribe/a\"><script>&b");
    }

    [Fact]
    public void A_letter_without_a_body_end_gets_the_footer_at_the_end_of_its_html()
    {
        var footer = new LetterFooter("<p>f</p>", "f");

        var rendered = footer.AddTo(new RenderedLetter("s", "<p>Hello</p>", "Hello", "en"));

        rendered.Html.ShouldBe("<p>Hello</p><p>f</p>");
        rendered.Text.ShouldBe("Hello\n\nf\n");
    }

    private UnsubscribeTokens Tokens() => new(_keys, _clock, Options.Create(new UnsubscribeOptions { BaseUrl = "https://notify.example/" }));

    [System.Text.RegularExpressions.GeneratedRegex("<a href=\"([^\"]+)\"")]
    private static partial System.Text.RegularExpressions.Regex Href();
}
