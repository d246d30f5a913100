using System.Text.Json;
using System.Text.Json.Serialization;
using CorpNotifier.Persistence;
using CorpNotifier.Rules;
using Microsoft.EntityFrameworkCore;

namespace CorpNotifier.Notices;

/// <summary>What an operator sets for a notice (the admin API's body); also the shape a version is kept in.</summary>
public sealed record NoticeSettingsUpdate(
    bool Enabled,
    NoticeMode Mode,
    TimeSpan Offset,
    IReadOnlyDictionary<string, string> Slugs,
    IReadOnlyDictionary<string, IReadOnlyList<string>> ExtraRecipients)
{
    /// <summary>The send window; <c>null</c> keeps the stored one (and, in a version kept before windows existed, is unknown).</summary>
    public SendWindowSettings? Window { get; init; }

    /// <summary>The frequency cap; <c>null</c>: uncapped.</summary>
    public FrequencyCap? Cap { get; init; }

    /// <summary>Every setting of <paramref name="settings"/>.</summary>
    public static NoticeSettingsUpdate From(EffectiveNoticeSettings settings) =>
        new(settings.Enabled, settings.Mode, settings.Offset, settings.Slugs, settings.ExtraRecipients) { Window = settings.Window, Cap = settings.Cap };
}

/// <summary>The stored settings of a kind with their version.</summary>
public sealed record VersionedNoticeSettings(EffectiveNoticeSettings Settings, int Version, string Source, DateTimeOffset UpdatedAt, string UpdatedBy);

public sealed class SettingsVersionConflictException(string kind, int expected, int actual)
    : Exception($"The settings of {kind} are at version {actual}, not {expected}; reload them and apply the change again.")
{
    public int ActualVersion { get; } = actual;
}

/// <summary>
/// The settings of every kind as last read, with the stamp they were read under. Shared by the
/// instance's scopes; <see cref="NoticeSettingsStore"/> decides when it is stale.
/// </summary>
public sealed class NoticeSettingsCache
{
    private volatile Entry? _entry;

    internal Entry? Current => _entry;

    internal void Store(Entry entry) => _entry = entry;

    internal sealed record Entry(SettingsStamp Stamp, IReadOnlyDictionary<string, EffectiveNoticeSettings> Settings);
}

/// <summary>
/// What changes whenever any stored settings change: versions only grow, so their sum grows with
/// every edit, and the count changes when a kind is added.
/// </summary>
internal readonly record struct SettingsStamp(int Count, long VersionSum);

/// <summary>
/// The settings notices are created and sent with, stored in <c>notice_settings</c>, so a change
/// applies at once to every instance and every notice not yet sent. Each use reads only the
/// table's stamp (one aggregate row); the settings themselves are read again only when the stamp
/// moved. Configuration seeds them; an operator's edit (versioned, with history) takes them over.
/// </summary>
public sealed partial class NoticeSettingsStore(
    NoticesDbContext db,
    NoticeSettingsDefaults defaults,
    NoticeCatalog catalog,
    NoticeSettingsCache cache,
    TimeProvider time,
    ILogger<NoticeSettingsStore> logger) : INoticeSettingsSource
{
    /// <summary>
    /// How a version is kept in <c>notice_settings_history</c>: the settings' own shape, the mode by
    /// name (<c>"Shadow"</c>). Versions written before kept the mode as a number; they read the same.
    /// </summary>
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public async Task<EffectiveNoticeSettings> GetAsync(string kind, CancellationToken cancellationToken) =>
        (await GetAllAsync(cancellationToken)).TryGetValue(kind, out var settings) ? settings : defaults.Get(kind);

    public async Task<IReadOnlyDictionary<string, EffectiveNoticeSettings>> GetAllAsync(CancellationToken cancellationToken)
    {
        var stamp = await db.NoticeSettings
            .GroupBy(_ => 1)
            .Select(g => new SettingsStamp(g.Count(), g.Sum(s => (long)s.Version)))
            .SingleOrDefaultAsync(cancellationToken);
        if (cache.Current is { } cached && cached.Stamp == stamp)
        {
            return cached.Settings;
        }

        // Read after the stamp: an edit in between makes these newer than the stamp, and the next
        // use, seeing a stamp that moved, reads them again.
        var rows = await db.NoticeSettings.AsNoTracking().ToDictionaryAsync(s => s.Kind, cancellationToken);
        var all = catalog.Kinds.ToDictionary(k => k, k => rows.TryGetValue(k, out var row) ? ToEffective(row) : defaults.Get(k));
        cache.Store(new NoticeSettingsCache.Entry(stamp, all));
        return all;
    }

    public async Task<VersionedNoticeSettings?> GetVersionedAsync(string kind, CancellationToken cancellationToken)
    {
        var row = await db.NoticeSettings.AsNoTracking().FirstOrDefaultAsync(s => s.Kind == kind, cancellationToken);
        return row is null ? null : new VersionedNoticeSettings(ToEffective(row), row.Version, row.Source, row.UpdatedAt, row.UpdatedBy);
    }

    /// <summary>An operator's change: applies only on top of <paramref name="expectedVersion"/>; from then on configuration no longer overrides the kind.</summary>
    public async Task<VersionedNoticeSettings> UpdateAsync(string kind, NoticeSettingsUpdate update, int expectedVersion, string actor, CancellationToken cancellationToken)
    {
        var row = await db.NoticeSettings.FirstOrDefaultAsync(s => s.Kind == kind, cancellationToken)
            ?? throw new KeyNotFoundException($"no settings for notice kind '{kind}'");
        if (row.Version != expectedVersion)
        {
            throw new SettingsVersionConflictException(kind, expectedVersion, row.Version);
        }

        Apply(row, kind, update, NoticeSettingsRecord.FromApi, actor);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            var actual = await db.NoticeSettings.AsNoTracking().Where(s => s.Kind == kind).Select(s => s.Version).FirstAsync(cancellationToken);
            throw new SettingsVersionConflictException(kind, expectedVersion, actual);
        }

        return new VersionedNoticeSettings(ToEffective(row), row.Version, row.Source, row.UpdatedAt, row.UpdatedBy);
    }

    public Task<List<NoticeSettingsHistoryRecord>> HistoryAsync(string kind, CancellationToken cancellationToken) =>
        db.NoticeSettingsHistory.AsNoTracking().Where(h => h.Kind == kind).OrderByDescending(h => h.Version).ToListAsync(cancellationToken);

    /// <summary>A version as <see cref="NoticeSettingsHistoryRecord.Settings"/> keeps it (the mode by name, or by number in older rows); null when it does not read.</summary>
    public static NoticeSettingsUpdate? ReadVersion(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<NoticeSettingsUpdate>(json, Json) is { } update
                ? update with
                {
                    Slugs = update.Slugs ?? new Dictionary<string, string>(),
                    ExtraRecipients = update.ExtraRecipients ?? new Dictionary<string, IReadOnlyList<string>>(),
                }
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Brings stored settings in line with configuration for every kind configuration still owns;
    /// kinds an operator edited keep the operator's settings. Safe when instances run it at once.
    /// </summary>
    public async Task SyncFromConfigurationAsync(CancellationToken cancellationToken)
    {
        foreach (var kind in catalog.Kinds)
        {
            var desired = defaults.Get(kind);
            var update = NoticeSettingsUpdate.From(desired);
            var source = NoticeSettingsRecord.FromConfiguration;
            var row = await db.NoticeSettings.FirstOrDefaultAsync(s => s.Kind == kind, cancellationToken);
            if (row is null)
            {
                row = new NoticeSettingsRecord { Kind = kind, Source = NoticeSettingsRecord.FromConfiguration, UpdatedBy = NoticeSettingsRecord.FromConfiguration };
                db.NoticeSettings.Add(row);
            }
            else if (row.WindowDays is null && row.Source != NoticeSettingsRecord.FromConfiguration)
            {
                // Stored before windows and caps existed, then edited by an operator: the operator's
                // settings stay, the window and cap the operator never saw come from configuration.
                update = NoticeSettingsUpdate.From(ToEffective(row)) with { Window = desired.Window, Cap = desired.Cap };
                source = row.Source;
                LogFilledIn(kind);
            }
            else if (row.WindowDays is not null && Same(ToEffective(row), desired))
            {
                continue;
            }
            else if (row.Source != NoticeSettingsRecord.FromConfiguration)
            {
                LogOperatorOwned(kind, row.UpdatedBy);
                continue;
            }

            Apply(row, kind, update, source, NoticeSettingsRecord.FromConfiguration);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                LogSynced(kind, row.Version);
            }
            catch (DbUpdateException ex) when (ex is DbUpdateConcurrencyException || ex.IsUniqueViolation())
            {
                // Another instance synced the same kind first.
                db.ChangeTracker.Clear();
            }
        }
    }

    private void Apply(NoticeSettingsRecord row, string kind, NoticeSettingsUpdate update, string source, string actor)
    {
        var now = time.GetUtcNow();
        row.Enabled = update.Enabled;
        row.Mode = update.Mode;
        row.Offset = update.Offset;
        row.Slugs = [.. update.Slugs.Select(p => new CountrySlug { Country = p.Key, Slug = p.Value })];
        row.ExtraRecipients = [.. update.ExtraRecipients.Select(p => new CountryRecipients { Country = p.Key, Addresses = [.. p.Value] })];
        var window = update.Window ?? ToEffective(row).Window;
        update = update with { Window = window };
        (row.WindowStart, row.WindowEnd, row.WindowDays) = (window.Start, window.End, window.Days);
        (row.CapCount, row.CapPer, row.CapPeriod) = (update.Cap?.Count, update.Cap?.Per, update.Cap?.Period);
        row.Version++;
        row.Source = source;
        row.UpdatedAt = now;
        row.UpdatedBy = actor;
        db.NoticeSettingsHistory.Add(new NoticeSettingsHistoryRecord
        {
            Kind = kind,
            Version = row.Version,
            Settings = JsonSerializer.Serialize(update, Json),
            ChangedAt = now,
            ChangedBy = actor,
        });
    }

    /// <summary>
    /// The settings a row holds. A row stored before windows and caps existed (no window days) has
    /// the kind's defaults for them until the sync from configuration stores them.
    /// </summary>
    private EffectiveNoticeSettings ToEffective(NoticeSettingsRecord row)
    {
        var settings = new EffectiveNoticeSettings(
            row.Kind,
            row.Enabled,
            row.Mode,
            row.Offset,
            row.Slugs.ToDictionary(s => s.Country, s => s.Slug, StringComparer.OrdinalIgnoreCase),
            row.ExtraRecipients.ToDictionary(r => r.Country, r => (IReadOnlyList<string>)r.Addresses, StringComparer.OrdinalIgnoreCase));
        if (row.WindowDays is not { } days)
        {
            var fallback = defaults.Get(row.Kind);
            return settings with { Window = fallback.Window, Cap = fallback.Cap };
        }

        return settings with
        {
            Window = new SendWindowSettings(row.WindowStart, row.WindowEnd, days),
            Cap = row is { CapCount: { } count, CapPer: { } per, CapPeriod: { } period } ? new FrequencyCap(count, per, period) : null,
        };
    }

    private static bool Same(EffectiveNoticeSettings a, EffectiveNoticeSettings b) =>
        a.Enabled == b.Enabled && a.Mode == b.Mode && a.Offset == b.Offset && a.Window == b.Window && a.Cap == b.Cap
        && a.Slugs.Count == b.Slugs.Count && a.Slugs.All(p => b.Slugs.TryGetValue(p.Key, out var v) && v == p.Value)
        && a.ExtraRecipients.Count == b.ExtraRecipients.Count
        && a.ExtraRecipients.All(p => b.ExtraRecipients.TryGetValue(p.Key, out var v) && v.SequenceEqual(p.Value, StringComparer.OrdinalIgnoreCase));

    [LoggerMessage(Level = LogLevel.Information, Message = "Settings of {Kind} synced from configuration (version {Version})")]
    private partial void LogSynced(string kind, int version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Settings of {Kind} were edited before send windows and caps existed: they keep the edit and take the window and cap configuration gives")]
    private partial void LogFilledIn(string kind);

    [LoggerMessage(Level = LogLevel.Information, Message = "Settings of {Kind} differ from configuration but were edited by {Actor}; the stored ones stay")]
    private partial void LogOperatorOwned(string kind, string actor);
}
