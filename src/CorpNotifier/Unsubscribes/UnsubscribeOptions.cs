using System.ComponentModel.DataAnnotations;

namespace CorpNotifier.Unsubscribes;

/// <summary>Section <c>Unsubscribe</c>: where the one-click links point and how long they work.</summary>
public sealed class UnsubscribeOptions : IValidatableObject
{
    /// <summary>
    /// The service's public address as a recipient's mail client reaches it (<c>https://notify.example.com</c>);
    /// links are <c>{BaseUrl}/unsubscribe/{token}</c>. Empty: optional letters go out without a link (say so in
    /// the start-up log), which bulk senders may not do.
    /// </summary>
    public string? BaseUrl { get; set; }

    /// <summary>How long a link in a letter works; a link older than that gets a page that says so and changes nothing.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromDays(60);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(BaseUrl)
            && (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment)))
        {
            yield return new ValidationResult("must be an absolute http(s) address without query or fragment, e.g. https://notify.example.com", [nameof(BaseUrl)]);
        }
    }

    /// <summary>The link of a token: the base address without its trailing slash, then <c>/unsubscribe/{token}</c>.</summary>
    public string? LinkTo(string token) =>
        string.IsNullOrWhiteSpace(BaseUrl) ? null : $"{BaseUrl.TrimEnd('/')}{UnsubscribeEndpoints.Path}/{token}";
}
