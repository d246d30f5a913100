using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace CorpNotifier.Rules.Requests;

/// <summary>How the request and trial letters spell what they carry.</summary>
public static class RequestArguments
{
    /// <summary>
    /// Where a client came from, as the mail service's templates take it: one
    /// <c>&lt;li&gt;{key} – {value}&lt;/li&gt;</c> per entry, in the order given, no wrapping list;
    /// empty when there is none. Keys and values are the producer's text, HTML-encoded.
    /// </summary>
    public static string References(IReadOnlyDictionary<string, string> references) =>
        string.Concat(references.Select(r => $"<li>{WebUtility.HtmlEncode(r.Key)} – {WebUtility.HtmlEncode(r.Value)}</li>"));

    /// <summary>A moment as the staff letters show it: <c>YYYY-MM-DD, HH:MM</c>, UTC.</summary>
    public static string Moment(DateTimeOffset moment) =>
        moment.UtcDateTime.ToString("yyyy-MM-dd, HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A letter id that is new for every event yet the same on a redelivery: a UUID made from the event id.</summary>
    public static string LetterId(string eventId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(eventId));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50); // version 5 style: name-based
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true).ToString();
    }

    /// <summary>
    /// The display tables' names (Templates/display-text/{locale}.json): what the manager letters'
    /// arguments are looked up in, and what the templates' <c>display_text</c> filter takes.
    /// </summary>
    public static class Tables
    {
        public const string Status = "status";
        public const string Service = "service";
        public const string ContractType = "contract_type";
        public const string SignerDulyAuthorized = "signer_duly_authorized";
        public const string Reason = "reason";
        public const string ThresholdType = "threshold_type";
        public const string Country = "country";
    }
}
