using System.Security.Cryptography;
using System.Text.Json.Nodes;
using CorpNotifier.Admin;
using CorpNotifier.Clients;
using CorpNotifier.Dispatch;
using CorpNotifier.Mailers;
using CorpNotifier.Notices;
using CorpNotifier.Rules;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace CorpNotifier.AdminUi;

/// <summary>Why a letter could not be rendered for a preview.</summary>
public enum PreviewProblem
{
    /// <summary>This version knows no notice of the kind.</summary>
    UnknownKind,

    /// <summary>The client directory did not answer (its message is the detail).</summary>
    DirectoryUnavailable,

    /// <summary>No template (slug) for the letter's country.</summary>
    NoSlug,

    /// <summary>The slug names a template that does not exist (its message is the detail).</summary>
    NoTemplate,
}

/// <summary>
/// A letter as the console shows it: what the send path's checks would decide now
/// (<see cref="Decision"/>: null to send it, <see cref="Shadow"/>, or the reason code that stops it,
/// with the check's own words in <see cref="DecisionDetail"/>), and the letter rendered by the same
/// templates, with every secret masked (a secret is never opened for a preview).
/// </summary>
public sealed record LetterPreview(
    string? Slug,
    string Locale,
    IReadOnlyList<string> Recipients,
    RenderedLetter? Letter,
    string? Decision,
    string? DecisionDetail,
    PreviewProblem? Problem,
    string? ProblemDetail,
    string? PreviewToken)
{
    public const string Shadow = "shadow";
}

/// <summary>Builds previews through the send path's own pieces: the rules, the settings, <see cref="SendDecision"/>, the templates.</summary>
public sealed class LetterPreviewer(
    NoticeCatalog catalog,
    INoticeSettingsSource settings,
    IClientDirectory directory,
    LetterRenderer renderer,
    IOptions<TemplateOptions> templates,
    PreviewStore store,
    TimeProvider time)
{
    public const string Masked = "••••••";

    /// <summary>A stored notice's letter: the slug it was sent with, else the one it would get now.</summary>
    public Task<LetterPreview> ForNoticeAsync(LetterDetail letter, CancellationToken cancellationToken) =>
        BuildAsync(
            letter.Notice.Kind,
            letter.Notice.ClientId,
            letter.Notice.ContractId,
            letter.Country,
            letter.Recipients,
            letter.Notice.Slug,
            JsonNode.Parse(letter.Notice.Args.GetRawText())?.AsObject() ?? [],
            cancellationToken);

    /// <summary>A letter not created yet, as a manual send would make it.</summary>
    public Task<LetterPreview> ForDraftAsync(string kind, string clientId, string? contractId, JsonObject args, CancellationToken cancellationToken) =>
        BuildAsync(kind, clientId, contractId, null, [], null, args, cancellationToken);

    private async Task<LetterPreview> BuildAsync(
        string kind,
        string? clientId,
        string? contractId,
        string? country,
        IReadOnlyList<string> ownRecipients,
        string? sentSlug,
        JsonObject args,
        CancellationToken cancellationToken)
    {
        var locale = templates.Value.DefaultLocale;
        var rule = catalog.Find(kind);
        if (rule is null)
        {
            return new LetterPreview(sentSlug, locale, [], null, null, null, PreviewProblem.UnknownKind, kind, null);
        }

        ClientProfile? client;
        ContractProfile? contract;
        try
        {
            (client, contract) = await directory.FindClientAndContractAsync(clientId, contractId, cancellationToken);
        }
        catch (ClientDirectoryUnavailableException ex)
        {
            return new LetterPreview(sentSlug, locale, [], null, null, null, PreviewProblem.DirectoryUnavailable, ex.Message, null);
        }

        locale = client?.Locale ?? locale;
        var noticeSettings = await settings.GetAsync(kind, cancellationToken);
        var checks = new SendCheckContext(kind, clientId, contractId, client, contract, time.GetUtcNow())
        {
            Country = country ?? client?.Country,
            Recipients = [.. ownRecipients],
        };
        var decision = SendDecision.Decide(rule, noticeSettings, checks);
        var (slug, recipients, verdict, detail) = decision switch
        {
            SendDecision.Send send => (send.Slug, send.Recipients, (string?)null, (string?)null),
            SendDecision.Shadow shadow => (shadow.Slug, shadow.Recipients, LetterPreview.Shadow, null),
            SendDecision.Stop stop => (noticeSettings.SlugFor(checks.Country), (IReadOnlyList<string>)[], stop.ReasonCode, stop.Reason),
            _ => (null, [], null, null),
        };
        slug = sentSlug ?? slug;
        if (slug is null)
        {
            return new LetterPreview(null, locale, recipients, null, verdict, detail, PreviewProblem.NoSlug, null, null);
        }

        var forMailer = rule.ForMailer(args.DeepClone().AsObject(), new MailerContext(_ => Masked));
        var mailerArgs = forMailer.Args ?? args.DeepClone().AsObject();
        foreach (var secret in rule.SecretArguments.Where(mailerArgs.ContainsKey))
        {
            mailerArgs[secret] = Masked;
        }

        try
        {
            var rendered = await renderer.RenderAsync(slug, locale, mailerArgs);
            return new LetterPreview(slug, locale, recipients, rendered, verdict, detail, null, null, store.Keep(rendered.Html));
        }
        catch (TemplateNotFoundException ex)
        {
            return new LetterPreview(slug, locale, recipients, null, verdict, detail, PreviewProblem.NoTemplate, ex.Message, null);
        }
    }
}

/// <summary>
/// Rendered letter HTML kept for a few minutes under a random token, so a page shows it in a
/// sandboxed frame from its own address (with its own, stricter policy) rather than inline.
/// </summary>
public sealed class PreviewStore : IDisposable
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);

    // At most 32 MB of previews (counted in characters): an old one is dropped before memory grows.
    private readonly MemoryCache cache = new(new MemoryCacheOptions { SizeLimit = 32 * 1024 * 1024 });

    public string Keep(string html)
    {
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        cache.Set(Key(token), html, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = Lifetime, Size = html.Length });
        return token;
    }

    public string? Find(string token) => cache.TryGetValue(Key(token), out string? html) ? html : null;

    public void Dispose() => cache.Dispose();

    private static string Key(string token) => "preview:" + token;
}
