using System.Text;
using CorpNotifier.Operations;
using RabbitMQ.Client;

namespace CorpNotifier.Tests.Operations;

/// <summary>What the error commands print of a producer's text cannot drive the operator's terminal.</summary>
public sealed class TerminalTextTests
{
    [Theory]
    [InlineData("\u001b]0;owned\u0007", "\\u001b]0;owned\\u0007")] // set the window title, BEL
    [InlineData("\u001b[2J\u001b[H", "\\u001b[2J\\u001b[H")] // clear the screen, cursor home
    [InlineData("ok\rfake", "ok\\u000dfake")] // return and overwrite the line
    [InlineData("a\nb\tc\0d\u007f", "a\\u000ab\\u0009c\\u0000d\\u007f")] // LF, tab, NUL, DEL
    [InlineData("\u009b31m\u0085", "\\u009b31m\\u0085")] // C1: CSI, NEL
    [InlineData("id\u202egnp.exe", "id\\u202egnp.exe")] // right-to-left override
    [InlineData("\u202a\u202b\u202c\u202d", "\\u202a\\u202b\\u202c\\u202d")] // embeddings, pop
    [InlineData("\u2066\u2067\u2068\u2069", "\\u2066\\u2067\\u2068\\u2069")] // isolates
    [InlineData("\u200e\u200f\u061c", "\\u200e\\u200f\\u061c")] // direction marks
    [InlineData("\u2028\u2029", "\\u2028\\u2029")] // line and paragraph separators
    public void Control_characters_and_direction_overrides_print_escaped(string text, string printed) =>
        TerminalText.Escape(text).ShouldBe(printed);

    [Fact]
    public void A_lone_half_of_a_surrogate_pair_prints_escaped() =>
        TerminalText.Escape("lone " + (char)0xD800 + " half").ShouldBe("lone \\ud800 half");

    [Theory]
    [InlineData("raw-1")]
    [InlineData("2a4a0000-e6a4-761f-6400-08df538efa49")]
    [InlineData("ООО «Ромашка» & Co, 7701234567")]
    [InlineData("emoji 🙂 and a backslash \\ stay")]
    [InlineData("")]
    public void Printable_text_prints_as_it_is(string text) =>
        TerminalText.Escape(text).ShouldBe(text);

    [Fact]
    public void A_body_keeps_its_lines_and_escapes_within_them()
    {
        TerminalText.EscapeLines("{\r\n  \"a\": \"\u001b[2J\"\n}\rx").ShouldBe("{\n  \"a\": \"\\u001b[2J\"\n}\\u000dx");
    }

    [Fact]
    public void The_list_line_and_the_details_escape_the_id_type_reason_headers_and_body()
    {
        var message = new FaultedMessage(
            "corp-notifier-events_error",
            1,
            new BasicProperties
            {
                MessageId = "raw-\u001b]0;owned\u0007",
                ContentType = "text/plain",
                Headers = new Dictionary<string, object?>
                {
                    ["MT-Fault-ExceptionType"] = Encoding.UTF8.GetBytes("Bad\u202eException"),
                    ["MT-Fault-Message"] = Encoding.UTF8.GetBytes("reason \u001b[2J"),
                    ["MT-MessageType"] = Encoding.UTF8.GetBytes("urn:message:\u0007Type"),
                    ["X-\u001bName"] = Encoding.UTF8.GetBytes("value \u009b"),
                },
            },
            Encoding.UTF8.GetBytes("line one \u001b[31m\nline two \r"));

        var line = FaultedMessageText.Line(message);
        var details = FaultedMessageText.Details(message, 1);

        line.ShouldBe("  raw-\\u001b]0;owned\\u0007  (time unknown)  urn:message:\\u0007Type  Bad\\u202eException: reason \\u001b[2J");
        details.Where(c => c != '\n').ShouldAllBe(c => !char.IsControl(c) && c != '\u202e');
        details.ShouldContain("message id     raw-\\u001b]0;owned\\u0007\n");
        details.ShouldContain("  X-\\u001bName: value \\u009b\n");
        details.ShouldContain("line one \\u001b[31m\nline two \\u000d\n");
    }
}
