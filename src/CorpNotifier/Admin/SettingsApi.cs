using System.Text.Json;
using CorpNotifier.Auth;
using CorpNotifier.Notices;
using CorpNotifier.Persistence;
using CorpNotifier.Rules;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace CorpNotifier.Admin;

/// <summary>A notice's settings as the API shows them; <see cref="Version"/> is also the ETag.</summary>
public sealed record NoticeSettingsView(
    string Kind,
    int Version,
    bool Enabled,
    string Mode,
    TimeSpan Offset,
    IReadOnlyDictionary<string, string> Slugs,
    IReadOnlyDictionary<string, IReadOnlyList<string>> ExtraRecipients,
    string Source,
    DateTimeOffset UpdatedAt,
    string UpdatedBy)
{
    public static NoticeSettingsView From(VersionedNoticeSettings s) => new(
        s.Settings.Kind,
        s.Version,
        s.Settings.Enabled,
        s.Settings.Mode.ToString(),
        s.Settings.Offset,
        s.Settings.Slugs,
        s.Settings.ExtraRecipients,
        s.Source,
        s.UpdatedAt,
        s.UpdatedBy);
}

/// <summary>The body of a settings change: the whole settings of the notice.</summary>
public sealed record NoticeSettingsBody(
    bool? Enabled,
    string? Mode,
    TimeSpan? Offset,
    Dictionary<string, string>? Slugs,
    Dictionary<string, List<string>>? ExtraRecipients);

public sealed record SettingsHistoryEntry(int Version, DateTimeOffset ChangedAt, string ChangedBy, JsonElement Settings);

/// <summary>Per-notice settings: read by viewers, changed by admins with optimistic concurrency (ETag / If-Match).</summary>
public static class SettingsApi
{
    public static IEndpointRouteBuilder MapSettingsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/settings/notices").WithTags("Settings");
        group.MapGet("/", GetAll).WithName("GetAllNoticeSettings").RequireAuthorization(Policies.Read)
            .WithSummary("Every notice's settings with its version");
        group.MapGet("/{kind}", Get).WithName("GetNoticeSettings").RequireAuthorization(Policies.Read)
            .WithSummary("One notice's settings; the ETag is its version");
        group.MapGet("/{kind}/history", History).WithName("GetNoticeSettingsHistory").RequireAuthorization(Policies.Read)
            .WithSummary("Every version of one notice's settings, newest first");
        group.MapPut("/{kind}", Put).WithName("PutNoticeSettings").RequireAuthorization(Policies.Administer)
            .WithSummary("Change one notice's settings; If-Match with the current ETag is required (412 when stale)");
        return app;
    }

    public static async Task<Ok<IReadOnlyList<NoticeSettingsView>>> GetAll(NoticeSettingsStore store, NoticeCatalog catalog, CancellationToken cancellationToken)
    {
        var views = new List<NoticeSettingsView>();
        foreach (var kind in catalog.Kinds)
        {
            if (await store.GetVersionedAsync(kind, cancellationToken) is { } settings)
            {
                views.Add(NoticeSettingsView.From(settings));
            }
        }

        return TypedResults.Ok<IReadOnlyList<NoticeSettingsView>>(views);
    }

    public static async Task<Results<Ok<NoticeSettingsView>, ProblemHttpResult>> Get(string kind, NoticeSettingsStore store, HttpResponse response, CancellationToken cancellationToken)
    {
        if (await store.GetVersionedAsync(kind, cancellationToken) is not { } settings)
        {
            return UnknownKind(kind);
        }

        response.Headers.ETag = ETag(settings.Version);
        return TypedResults.Ok(NoticeSettingsView.From(settings));
    }

    public static async Task<Results<Ok<IReadOnlyList<SettingsHistoryEntry>>, ProblemHttpResult>> History(string kind, NoticeSettingsStore store, NoticeCatalog catalog, CancellationToken cancellationToken)
    {
        if (catalog.Find(kind) is null)
        {
            return UnknownKind(kind);
        }

        var history = await store.HistoryAsync(kind, cancellationToken);
        return TypedResults.Ok<IReadOnlyList<SettingsHistoryEntry>>(
            [.. history.Select(h => new SettingsHistoryEntry(h.Version, h.ChangedAt, h.ChangedBy, JsonSerializer.Deserialize<JsonElement>(h.Settings)))]);
    }

    public static async Task<Results<Ok<NoticeSettingsView>, ValidationProblem, ProblemHttpResult>> Put(
        string kind,
        NoticeSettingsBody body,
        HttpRequest request,
        HttpResponse response,
        NoticeSettingsStore store,
        NoticeSettingsValidator validator,
        NoticesDbContext db,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (await store.GetVersionedAsync(kind, cancellationToken) is not { } current)
        {
            return UnknownKind(kind);
        }

        if (!request.Headers.TryGetValue(HeaderNames.IfMatch, out var ifMatch) || ifMatch.Count == 0)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status428PreconditionRequired,
                title: "If-Match required",
                detail: $"Send the ETag of the settings you changed in If-Match (current: {ETag(current.Version)}).");
        }

        if (!TryParseETag(ifMatch.ToString(), out var expected) || expected != current.Version)
        {
            return Stale(current.Version);
        }

        var errors = Validate(kind, body, validator, out var update);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The settings are invalid");
        }

        var actor = Actor.From(request.HttpContext.User);
        VersionedNoticeSettings saved;
        try
        {
            saved = await store.UpdateAsync(kind, update!, expected, actor.Name, cancellationToken);
        }
        catch (SettingsVersionConflictException ex)
        {
            return Stale(ex.ActualVersion);
        }

        db.Audit.Add(new AuditRecord
        {
            At = time.GetUtcNow(),
            Actor = actor.Name,
            Role = actor.Role,
            Action = AuditActions.UpdateSettings,
            TargetType = "settings",
            TargetId = kind,
            Before = JsonSerializer.Serialize(NoticeSettingsView.From(current), Hosting.AppJson.Options),
            After = JsonSerializer.Serialize(NoticeSettingsView.From(saved), Hosting.AppJson.Options),
        });
        await db.SaveChangesAsync(cancellationToken);
        response.Headers.ETag = ETag(saved.Version);
        return TypedResults.Ok(NoticeSettingsView.From(saved));
    }

    /// <summary>
    /// The body is the whole settings (every field required), checked by the settings' rules
    /// (<see cref="NoticeSettingsValidator"/>, as configuration is), with keys named as in the body.
    /// </summary>
    private static Dictionary<string, string[]> Validate(string kind, NoticeSettingsBody body, NoticeSettingsValidator validator, out NoticeSettingsUpdate? update)
    {
        var errors = new List<(string Key, string Message)>();
        update = null;
        if (body.Enabled is null)
        {
            errors.Add(("enabled", "is required"));
        }

        if (body.Mode is null)
        {
            errors.Add(("mode", "is required: Live or Shadow"));
        }

        if (body.Offset is null)
        {
            errors.Add(("offset", "is required, e.g. \"3.00:00:00\" for three days"));
        }

        var candidate = new NoticeSettingsCandidate(kind, body.Mode, body.Offset, body.Slugs, body.ExtraRecipients);
        errors.AddRange(validator.Validate(candidate).Select(f => (Key(f.Path), f.Message)));
        if (errors.Count == 0)
        {
            update = new NoticeSettingsUpdate(
                body.Enabled!.Value,
                Enum.Parse<NoticeMode>(body.Mode!, ignoreCase: true),
                body.Offset!.Value,
                body.Slugs ?? [],
                (body.ExtraRecipients ?? []).ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value));
        }

        return errors.GroupBy(e => e.Key).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray());
    }

    /// <summary>The body's name of a setting: <c>offset</c>, <c>slugs.rus</c>, <c>extraRecipients.default[0]</c>.</summary>
    private static string Key(NoticeSettingsPath path) =>
        System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(path.Field.ToString())
        + (path.Country is null ? "" : $".{path.Country}")
        + (path.Index is { } index ? $"[{index.ToString(System.Globalization.CultureInfo.InvariantCulture)}]" : "");

    private static string ETag(int version) => $"\"{version}\"";

    private static bool TryParseETag(string value, out int version)
    {
        var text = value.Trim();
        text = text.StartsWith("W/", StringComparison.Ordinal) ? text[2..] : text;
        return int.TryParse(text.Trim('"'), out version);
    }

    private static ProblemHttpResult Stale(int current) => TypedResults.Problem(
        statusCode: StatusCodes.Status412PreconditionFailed,
        title: "The settings changed meanwhile",
        detail: $"Someone changed these settings; they are at {ETag(current)} now. Reload them and apply your change again.");

    private static ProblemHttpResult UnknownKind(string kind) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "No such notice",
        detail: $"There is no notice kind '{kind}'.");
}
