using System.ComponentModel.DataAnnotations;

namespace CorpNotifier.Notices;

/// <summary>
/// What the service takes as an email address: in events, settings, manual sends and simulations.
/// </summary>
internal static partial class EmailAddress
{
    private static readonly EmailAddressAttribute Attribute = new();

    /// <summary>
    /// A bare address (<c>name@example.com</c>): no display name, angle brackets, list, comment or
    /// white space. Mailers parse what they are given as a mailbox, so <c>Boss&lt;x@y.example&gt;</c>
    /// would reach x@y.example while the directory shows something else.
    /// </summary>
    public static bool IsValid(string? value) =>
        !string.IsNullOrWhiteSpace(value) && Attribute.IsValid(value) && value.IndexOf('@') is > 0 and var at && at < value.Length - 1
        && value.IndexOfAny(['<', '>', '(', ')', '[', ']', '\\', ',', ';', ':', '"']) < 0 && !value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c));

    /// <summary>Every address in a text (an error a mailer answered, say) with its local part hidden, for logs.</summary>
    public static string MaskAll(string text) => Addresses().Replace(text, m => Mask(m.Value));

    [System.Text.RegularExpressions.GeneratedRegex(@"[^\s@<>""'(),;:]+@[^\s@<>""'(),;:]+\.[^\s@<>""'(),;:]+")]
    private static partial System.Text.RegularExpressions.Regex Addresses();

    /// <summary>The address with its local part hidden, for logs: <c>j***@example.com</c>.</summary>
    public static string Mask(string value)
    {
        var at = value.IndexOf('@');
        return at <= 0 ? "***" : $"{value[0]}***{value[at..]}";
    }
}
