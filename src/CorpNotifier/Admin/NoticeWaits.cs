using System.Globalization;
using CorpNotifier.Calendars;
using CorpNotifier.Clients;
using CorpNotifier.Notices;
using CorpNotifier.Rules;
using NodaTime;

namespace CorpNotifier.Admin;

/// <summary>Why a pending letter is not sent yet (<see cref="NoticeView.WaitsFor"/>); a letter due now waits for nothing (<c>null</c>).</summary>
public static class WaitReasons
{
    /// <summary>Its kind's delay after the event that made it.</summary>
    public const string Delay = "delay";

    /// <summary>Held for its kind's send window, or moved into it when it was planned.</summary>
    public const string Window = "window";

    /// <summary>The next attempt after a failed one.</summary>
    public const string Retry = "retry";

    /// <summary>The moment an operator chose for a manual send.</summary>
    public const string Scheduled = "scheduled";
}

/// <summary>A client as the client directory answered about it: its profile, or why there is none (an unknown client: both null).</summary>
public sealed record ClientLookup(string ClientId, ClientProfile? Profile, string? Problem);

/// <summary>
/// When letters not yet sent are due in their recipient's time, and why a pending one waits: the
/// recipient's zone as the send path resolves it (<see cref="SendTimes.For"/>), its kind's window from
/// the current settings, and the letter's last step. Cheap on purpose: one settings read and at most
/// one client directory read per call, whatever the number of letters.
/// </summary>
public sealed class NoticeWaits(INoticeSettingsSource settings, SendTimes sendTimes, NoticeCatalog catalog, IClientDirectory directory, TimeProvider time)
{
    /// <summary>What the client directory says about a client; a directory that does not answer is a problem, not an error.</summary>
    public async Task<ClientLookup> ClientAsync(string clientId, CancellationToken cancellationToken)
    {
        try
        {
            return new ClientLookup(clientId, await directory.FindClientAsync(clientId, cancellationToken), null);
        }
        catch (ClientDirectoryUnavailableException ex)
        {
            return new ClientLookup(clientId, null, ex.Message);
        }
    }

    /// <summary>
    /// The letters as views; the pending and sending ones with their due moment in their recipient's
    /// time, and the pending ones with why they wait. <paramref name="lastSteps"/>: each pending
    /// letter's latest timeline step. <paramref name="client"/>: the letters' client when it was read
    /// already; else it is read here (once) when a client's letter needs it.
    /// </summary>
    public async Task<IReadOnlyList<NoticeView>> ViewsAsync(
        IReadOnlyList<Notice> notices,
        IReadOnlyDictionary<long, TimelineEntryType> lastSteps,
        ClientLookup? client,
        CancellationToken cancellationToken)
    {
        var waiting = notices.Where(n => n.Status is NoticeStatus.Pending or NoticeStatus.Sending).ToList();
        if (waiting.Count == 0)
        {
            return [.. notices.Select(NoticeView.From)];
        }

        var kinds = await settings.GetAllAsync(cancellationToken);
        if (client is null && waiting.FirstOrDefault(n => n.ClientId is not null && AudienceOf(n) == Audience.Client) is { ClientId: { } clientId })
        {
            client = await ClientAsync(clientId, cancellationToken);
        }

        var now = time.GetUtcNow();
        return [.. notices.Select(n => View(n, kinds, client, lastSteps, now))];
    }

    private NoticeView View(
        Notice notice,
        IReadOnlyDictionary<string, EffectiveNoticeSettings> kinds,
        ClientLookup? client,
        IReadOnlyDictionary<long, TimelineEntryType> lastSteps,
        DateTimeOffset now)
    {
        var view = NoticeView.From(notice);
        if (notice.Status is not (NoticeStatus.Pending or NoticeStatus.Sending))
        {
            return view;
        }

        var audience = AudienceOf(notice);

        // A client's letter is timed in the client's zone: unknown while the directory does not
        // answer or does not know the client (the send path waits for it too), so not guessed here.
        var recipient = audience != Audience.Client ? sendTimes.For(audience, null, notice.Country)
            : client is { Profile: { } profile } && profile.ClientId == notice.ClientId ? sendTimes.For(audience, profile, notice.Country)
            : null;
        var local = recipient is null ? (LocalDateTime?)null : Instant.FromDateTimeOffset(notice.SendAt).InZone(recipient.Zone).LocalDateTime;
        var window = kinds.TryGetValue(notice.Kind, out var kind) ? kind.Window : SendWindowSettings.None;
        return view with
        {
            SendAtLocal = local?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
            TimeZone = recipient?.ZoneId,
            WaitsFor = notice.Status == NoticeStatus.Pending && notice.SendAt > now
                ? WaitsFor(notice, lastSteps.TryGetValue(notice.Id, out var last) ? last : null, window, local)
                : null,
        };
    }

    private string WaitsFor(Notice notice, TimelineEntryType? lastStep, SendWindowSettings window, LocalDateTime? local) => lastStep switch
    {
        TimelineEntryType.Held => WaitReasons.Window,
        TimelineEntryType.AttemptFailed => WaitReasons.Retry,
        _ when notice.Origin == NoticeOrigin.Manual => WaitReasons.Scheduled,
        _ when window.IsOn && sendTimes.Enabled && local?.TimeOfDay == LocalTime.FromTimeOnly(window.Start) => WaitReasons.Window,
        _ => WaitReasons.Delay,
    };

    private Audience AudienceOf(Notice notice) => catalog.Find(notice.Kind)?.Audience ?? Audience.Client;
}
