using CorpNotifier.Clients;
using CorpNotifier.Notices;
using CorpNotifier.Persistence;
using CorpNotifier.Rules;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CorpNotifier.Calendars;

/// <summary>
/// After a country's calendar changed, its pending letters are given the moment the new calendar yields: the
/// client letters planned for that country (<see cref="Notice.Country"/>; for a letter stored before letters
/// kept it, its client's country in the local directory) and, when it is the staff's country
/// (<see cref="SendWindowsOptions.StaffCountry"/>), every staff and manager letter — of the kinds whose send
/// window is on. A letter's new moment is the window's next opening from the moment its delay gave
/// (<see cref="Notice.PlannedAt"/>, or now when that has passed); a letter stored before that moment was kept,
/// or one that failed an attempt, is planned from its current moment. Each moved letter gets a timeline entry.
/// </summary>
/// <remarks>
/// Letters are read and moved in batches of <see cref="BatchSize"/>, each move conditional on the letter still
/// being pending at the moment read: one being sent, or sent meanwhile, is left alone, and the send path's own
/// check of the window holds it under the new calendar anyway. Letters already due are left to the send path.
/// </remarks>
public sealed partial class CalendarReplanner(
    NoticesDbContext db,
    NoticeLedger ledger,
    INoticeSettingsSource settings,
    NoticeCatalog catalog,
    SendTimes sendTimes,
    IClientDirectory directory,
    IOptions<SendWindowsOptions> options,
    TimeProvider time,
    ILogger<CalendarReplanner> logger)
{
    public const int BatchSize = 500;

    /// <summary>Plans the pending letters of <paramref name="country"/> again; how many moved. <paramref name="cause"/> opens each timeline entry.</summary>
    public async Task<int> ReplanAsync(string country, string cause, CancellationToken cancellationToken)
    {
        if (!sendTimes.Enabled)
        {
            return 0;
        }

        var all = await settings.GetAllAsync(cancellationToken);
        var windowed = catalog.Rules.Where(r => all.TryGetValue(r.Kind, out var s) && s.Window.IsOn).ToList();
        var clientKinds = windowed.Where(r => r.Audience == Audience.Client).Select(r => r.Kind).ToList();
        var staffKinds = string.Equals(options.Value.StaffCountry, country, StringComparison.Ordinal)
            ? windowed.Where(r => r.Audience != Audience.Client).Select(r => r.Kind).ToList()
            : [];
        if (clientKinds.Count == 0 && staffKinds.Count == 0)
        {
            return 0;
        }

        var directoryClients = db.Clients;
        var clients = new Dictionary<string, ClientProfile?>(StringComparer.Ordinal);
        var moved = 0;
        var after = 0L;
        while (true)
        {
            var batch = await db.Notices.AsNoTracking()
                .Where(n => n.Status == NoticeStatus.Pending && n.Id > after)
                .Where(n => (clientKinds.Contains(n.Kind)
                        && (n.Country == country
                            // A letter stored before letters kept their country: its client's, as the events left it.
                            || (n.Country == null && directoryClients.Any(c => c.ClientId == n.ClientId && c.Country == country))))
                    || staffKinds.Contains(n.Kind))
                .OrderBy(n => n.Id)
                .Take(BatchSize)
                .Select(n => new Letter(n.Id, n.Kind, n.ClientId, n.Country, n.SendAt, n.PlannedAt, n.Attempts))
                .ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            after = batch[^1].Id;
            var now = time.GetUtcNow();
            foreach (var letter in batch)
            {
                var audience = catalog.Find(letter.Kind)?.Audience ?? Audience.Client;
                ClientProfile? client = null;
                if (audience == Audience.Client && letter.ClientId is { } clientId)
                {
                    if (!clients.TryGetValue(clientId, out client))
                    {
                        try
                        {
                            client = await directory.FindClientAsync(clientId, cancellationToken);
                        }
                        catch (ClientDirectoryUnavailableException ex)
                        {
                            // Its zone is not known now: the send path's check of the window holds it under the new calendar.
                            LogClientUnknown(ex, letter.Id, clientId);
                            continue;
                        }

                        clients[clientId] = client;
                    }
                }

                var recipient = sendTimes.For(audience, client, letter.Country);
                var from = letter.Attempts == 0 && letter.PlannedAt is { } planned ? planned : letter.SendAt;
                var at = sendTimes.Opening(from < now ? now : from, all[letter.Kind].Window, recipient);
                if (at == letter.SendAt || (at <= now && letter.SendAt <= now))
                {
                    continue;
                }

                if (!await ledger.ReplanAsync(letter.Id, letter.Kind, letter.SendAt, at, $"{cause}: {SendTimes.Local(at, recipient)}", cancellationToken))
                {
                    continue;
                }

                moved++;
            }

            // The batch's timeline steps.
            await ledger.SaveAsync(cancellationToken);
            db.ChangeTracker.Clear();
        }

        LogReplanned(country, moved, cause);
        return moved;
    }

    private sealed record Letter(long Id, string Kind, string? ClientId, string? Country, DateTimeOffset SendAt, DateTimeOffset? PlannedAt, int Attempts);

    [LoggerMessage(Level = LogLevel.Information, Message = "Calendar of {Country}: {Moved} pending letters moved ({Cause})")]
    private partial void LogReplanned(string country, int moved, string cause);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notice {NoticeId} was not re-planned: the directory did not answer for client {ClientId}; the send path holds it to its window")]
    private partial void LogClientUnknown(Exception exception, long noticeId, string clientId);
}
