using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using CorpNotifier.Hosting;
using CorpNotifier.Notices;
using CorpNotifier.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CorpNotifier.Admin;

/// <summary>
/// The body of a settings change: the whole settings of the notice. The send window and the cap
/// came later: a body without them (a client written before) leaves them as they are.
/// </summary>
public sealed record NoticeSettingsBody(
    bool? Enabled,
    string? Mode,
    TimeSpan? Offset,
    Dictionary<string, string>? Slugs,
    Dictionary<string, List<string>>? ExtraRecipients)
{
    /// <summary>The send window (every part required); missing: unchanged.</summary>
    public SendWindowBody? Window { get; init; }

    /// <summary>The frequency cap (every part required), or <c>{"enabled": false}</c> to remove it; missing: unchanged.</summary>
    public FrequencyCapBody? Cap { get; init; }
}

/// <summary>A send window in a settings change: <c>{"start": "09:00", "end": "19:00", "days": "businessDays"}</c> (or <c>anyDay</c>, <c>off</c>).</summary>
public sealed record SendWindowBody(string? Start, string? End, string? Days);

/// <summary>A frequency cap in a settings change: <c>{"count": 1, "per": "contract", "period": "1.00:00:00"}</c>; <c>{"enabled": false}</c> removes it.</summary>
public sealed record FrequencyCapBody
{
    /// <summary>Letters allowed per key and period, at least 1.</summary>
    public int? Count { get; init; }

    /// <summary>What letters are counted by: <c>client</c>, <c>contract</c> or <c>recipient</c>.</summary>
    public string? Per { get; init; }

    /// <summary>The period, e.g. <c>1.00:00:00</c> for a day.</summary>
    public TimeSpan? Period { get; init; }

    /// <summary>False removes the cap (the other parts are then ignored).</summary>
    public bool? Enabled { get; init; }
}

/// <summary>The outcome of a settings change: the saved settings, or why not.</summary>
public abstract record SettingsResult
{
    public sealed record Saved(NoticeSettingsView Settings) : SettingsResult;

    public sealed record Forbidden(string Message) : SettingsResult;

    public sealed record UnknownKind(string Message) : SettingsResult;

    /// <summary>No version was given to apply the change on top of.</summary>
    public sealed record VersionRequired(NoticeSettingsView Current) : SettingsResult;

    /// <summary>Someone saved another version meanwhile: <see cref="Current"/> is the stored one.</summary>
    public sealed record Stale(NoticeSettingsView Current) : SettingsResult;

    /// <summary>The settings break their rules; keys as in the body (<c>offset</c>, <c>slugs.rus</c>, <c>extraRecipients.default[0]</c>).</summary>
    public sealed record Invalid(IReadOnlyList<FieldError> Errors) : SettingsResult
    {
        /// <summary>The English messages by key, as the API's validation problem lists them.</summary>
        public IReadOnlyDictionary<string, string[]> ByKey => FieldError.ByKey(Errors);
    }

    /// <summary>The change and its audit record could not be committed together; nothing changed.</summary>
    public sealed record NotSaved(string Message) : SettingsResult;
}

/// <summary>
/// An admin's change of a notice's settings, for the admin API and the console alike: who may
/// (admins), on top of which version (optimistic concurrency), by which rules
/// (<see cref="NoticeSettingsValidator"/>, as configuration is checked), and its audit record.
/// </summary>
public sealed partial class SettingsOperations(
    NoticesDbContext db,
    NoticeSettingsStore store,
    NoticeSettingsValidator validator,
    TimeProvider time,
    ILogger<SettingsOperations> logger)
{
    public const string AdminsOnly = "Only admins may change settings.";

    public async Task<SettingsResult> UpdateAsync(string kind, NoticeSettingsBody body, int? expectedVersion, Actor actor, CancellationToken cancellationToken)
    {
        if (!actor.MayAdminister)
        {
            LogRefused(AuditActions.UpdateSettings, actor.Name, actor.Role);
            return new SettingsResult.Forbidden(AdminsOnly);
        }

        if (await store.GetVersionedAsync(kind, cancellationToken) is not { } current)
        {
            return new SettingsResult.UnknownKind(SettingsQueries.UnknownKind(kind));
        }

        if (expectedVersion is not { } expected)
        {
            return new SettingsResult.VersionRequired(NoticeSettingsView.From(current));
        }

        if (expected != current.Version)
        {
            return new SettingsResult.Stale(NoticeSettingsView.From(current));
        }

        var errors = Check(current.Settings.Kind, body, validator, out var update, current.Settings);
        if (errors.Count > 0)
        {
            return new SettingsResult.Invalid(errors);
        }

        // The new version, its history entry and the audit record: one transaction, all or nothing.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            VersionedNoticeSettings saved;
            try
            {
                saved = await store.UpdateAsync(current.Settings.Kind, update!, expected, actor.Name, cancellationToken);
            }
            catch (SettingsVersionConflictException)
            {
                await transaction.RollbackAsync(cancellationToken);
                db.ChangeTracker.Clear();
                return new SettingsResult.Stale(NoticeSettingsView.From((await store.GetVersionedAsync(kind, cancellationToken))!));
            }

            var view = NoticeSettingsView.From(saved);
            db.Audit.Add(new AuditRecord
            {
                At = time.GetUtcNow(),
                Actor = actor.Name,
                Role = actor.Role,
                Action = AuditActions.UpdateSettings,
                TargetType = "settings",
                TargetId = saved.Settings.Kind,
                Before = JsonSerializer.Serialize(NoticeSettingsView.From(current), AppJson.Options),
                After = JsonSerializer.Serialize(view, AppJson.Options),
            });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return new SettingsResult.Saved(view);
        }
        catch (Exception ex) when (ex is DbUpdateException or DbException && !DatabaseFaults.IsUnavailable(ex))
        {
            db.ChangeTracker.Clear();
            LogNotSaved(ex, AuditActions.UpdateSettings, actor.Name);
            return new SettingsResult.NotSaved(NoticeOperations.NotSaved);
        }
    }

    /// <summary>
    /// The rules of a change: the body is the whole settings (every field required; a window or cap
    /// left out stays as in <paramref name="current"/>), checked by the settings' rules, with keys
    /// named as in the body (<c>window.end</c>, <c>cap.count</c>). The settings to save when there is no error.
    /// </summary>
    public static IReadOnlyList<FieldError> Check(
        string kind, NoticeSettingsBody body, NoticeSettingsValidator validator, out NoticeSettingsUpdate? update, EffectiveNoticeSettings? current = null)
    {
        var errors = new List<FieldError>();
        update = null;
        if (body.Enabled is null)
        {
            errors.Add(new("enabled", "is required", "обязательно"));
        }

        if (body.Mode is null)
        {
            errors.Add(new("mode", "is required: Live or Shadow", "обязателен: Live или Shadow"));
        }

        if (body.Offset is null)
        {
            errors.Add(new("offset", "is required, e.g. \"3.00:00:00\" for three days", "обязательна, например «3.00:00:00» — три дня"));
        }

        var capOff = body.Cap is { Enabled: false };
        var candidate = new NoticeSettingsCandidate(kind, body.Mode, body.Offset, body.Slugs, body.ExtraRecipients)
        {
            Window = body.Window is { } w ? new SendWindowCandidate(w.Start, w.End, w.Days) : null,
            Cap = body.Cap is { } c && !capOff ? new FrequencyCapCandidate(c.Count, c.Per, c.Period) : null,
        };
        errors.AddRange(validator.Validate(candidate).Select(f => new FieldError(Key(f.Path), f.Message, f.Russian)));
        if (errors.Count == 0)
        {
            update = new NoticeSettingsUpdate(
                body.Enabled!.Value,
                Enum.Parse<NoticeMode>(body.Mode!, ignoreCase: true),
                body.Offset!.Value,
                body.Slugs ?? [],
                (body.ExtraRecipients ?? []).ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value))
            {
                Window = body.Window is { } window
                    ? new SendWindowSettings(Time(window.Start), Time(window.End), Parse<WindowDays>(window.Days))
                    : current?.Window,
                Cap = capOff ? null
                    : body.Cap is { } cap ? new FrequencyCap(cap.Count!.Value, Parse<CapKey>(cap.Per), cap.Period!.Value)
                    : current?.Cap,
            };
        }

        return errors;

        static TimeOnly Time(string? text) => SettingsText.TryParseTime(text, out var time) ? time : throw new FormatException(text);

        static T Parse<T>(string? text)
            where T : struct, Enum => SettingsText.TryParse<T>(text, out var value) ? value : throw new FormatException(text);
    }

    /// <summary>The body's name of a setting: <c>offset</c>, <c>slugs.rus</c>, <c>extraRecipients.default[0]</c>, <c>window.end</c>.</summary>
    public static string Key(NoticeSettingsPath path) =>
        JsonNamingPolicy.CamelCase.ConvertName(path.Field.ToString())
        + (path.Part is null ? "" : $".{JsonNamingPolicy.CamelCase.ConvertName(path.Part)}")
        + (path.Country is null ? "" : $".{path.Country}")
        + (path.Index is { } index ? $"[{index.ToString(CultureInfo.InvariantCulture)}]" : "");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Action {Action} refused to {Actor} ({Role})")]
    private partial void LogRefused(string action, string actor, string role);

    [LoggerMessage(Level = LogLevel.Error, Message = "Action {Action} by {Actor} was not saved: the change and its audit record were rolled back")]
    private partial void LogNotSaved(Exception exception, string action, string actor);
}
