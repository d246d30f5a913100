using System.Globalization;
using System.Text;

namespace CorpNotifier.Operations;

/// <summary>
/// Text a producer chose (a message id, type, reason, header or body), made safe to print on an
/// operator's terminal: every control character — C0 (ESC, CR, LF, BEL, tab…), DEL, C1 — every
/// bidirectional override or isolate (U+202A–U+202E, U+2066–U+2069) and mark (U+200E, U+200F,
/// U+061C), the line and paragraph separators and a lone surrogate print as <c>\uXXXX</c>
/// (e.g. ESC as <c>\u001b</c>), so a message cannot retitle, clear or rewrite the terminal, nor
/// reorder what is printed beside it. Everything else, Cyrillic included, prints as it is. The one
/// escaping function for what the <c>errors</c> commands print.
/// </summary>
public static class TerminalText
{
    public static string Escape(string text)
    {
        var first = IndexOfUnsafe(text);
        if (first < 0)
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 16).Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                escaped.Append(c).Append(text[++i]);
            }
            else if (IsUnsafe(c))
            {
                escaped.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                escaped.Append(c);
            }
        }

        return escaped.ToString();
    }

    /// <summary>Text of several lines (a body): each line escaped, the line breaks kept (CRLF printed as a plain line break).</summary>
    public static string EscapeLines(string text) =>
        string.Join('\n', text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Select(Escape));

    private static int IndexOfUnsafe(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (IsUnsafe(text[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool IsUnsafe(char c) =>
        char.IsControl(c) // C0, DEL and C1
        || c is >= '\u202A' and <= '\u202E' // embeddings and overrides
        || c is >= '\u2066' and <= '\u2069' // isolates
        || c is '\u200E' or '\u200F' or '\u061C' // direction marks
        || c is '\u2028' or '\u2029' // line and paragraph separators
        || char.IsSurrogate(c); // a lone half of a pair (a pair is passed over before this is asked)
}
