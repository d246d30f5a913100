using CorpNotifier.Notices;
using CorpNotifier.Persistence;
using CorpNotifier.Rules;
using Microsoft.EntityFrameworkCore;

namespace CorpNotifier.Unsubscribes;

/// <summary>
/// Who unsubscribed from what: an address and an optional category, one row each (none: subscribed).
/// The links' answers save at once; an operator's change is staged here and saved by the caller with
/// its audit record, in one transaction.
/// </summary>
public sealed partial class Preferences(NoticesDbContext db, TimeProvider time, ILogger<Preferences> logger)
{
    /// <summary>An address as stored and compared: trimmed, lower-case.</summary>
    public static string Normalize(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.Trim().ToLowerInvariant();
    }

    /// <summary>The unsubscribes of an address, a client, or both (every one when both are null), newest first.</summary>
    public async Task<IReadOnlyList<Unsubscribe>> ListAsync(string? address, string? clientId, int limit, CancellationToken cancellationToken)
    {
        var query = db.Unsubscribes.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(address))
        {
            var normalized = Normalize(address);
            query = query.Where(u => u.Address == normalized);
        }

        if (!string.IsNullOrWhiteSpace(clientId))
        {
            query = query.Where(u => u.ClientId == clientId);
        }

        var rows = await query.OrderByDescending(u => u.Id).Take(limit).ToListAsync(cancellationToken);
        return rows;
    }

    public Task<bool> IsUnsubscribedAsync(string address, string category, CancellationToken cancellationToken)
    {
        var normalized = Normalize(address);
        return db.Unsubscribes.AnyAsync(u => u.Address == normalized && u.Category == category, cancellationToken);
    }

    /// <summary>Stages the unsubscribe (not saved); null when the address is unsubscribed from the category already.</summary>
    public async Task<Unsubscribe?> StageUnsubscribeAsync(string address, NoticeCategory category, string via, string? clientId, long? noticeId, string? kind, string? actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(category);
        if (category.Mandatory)
        {
            throw new ArgumentException($"{category.Name} is mandatory: nobody is unsubscribed from it", nameof(category));
        }

        if (await IsUnsubscribedAsync(address, category.Name, cancellationToken))
        {
            return null;
        }

        var row = new Unsubscribe
        {
            Address = Normalize(address),
            Category = category.Name,
            UnsubscribedAt = time.GetUtcNow(),
            Via = via,
            ClientId = clientId,
            NoticeId = noticeId,
            Kind = kind,
            Actor = actor,
        };
        db.Unsubscribes.Add(row);
        return row;
    }

    /// <summary>Stages the resubscribe (not saved): the rows removed, none when the address was subscribed.</summary>
    public async Task<IReadOnlyList<Unsubscribe>> StageResubscribeAsync(string address, string category, CancellationToken cancellationToken)
    {
        var normalized = Normalize(address);
        var rows = await db.Unsubscribes.Where(u => u.Address == normalized && u.Category == category).ToListAsync(cancellationToken);
        db.Unsubscribes.RemoveRange(rows);
        return rows;
    }

    /// <summary>A link's unsubscribe, saved; idempotent (true: it changed something).</summary>
    public async Task<bool> UnsubscribeAsync(UnsubscribeToken token, string via, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        var category = NoticeCategory.Named(token.Category)!;
        var clientId = token.NoticeId > 0
            ? await db.Notices.AsNoTracking().Where(n => n.Id == token.NoticeId).Select(n => n.ClientId).FirstOrDefaultAsync(cancellationToken)
            : null;
        if (await StageUnsubscribeAsync(token.Address, category, via, clientId, token.NoticeId, token.Kind, actor: null, cancellationToken) is null)
        {
            return false;
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolationOn(UnsubscribeTables.Table))
        {
            // Two clicks at once (the mail client's POST and the page's): the other one recorded it.
            db.ChangeTracker.Clear();
            return false;
        }

        LogUnsubscribed(EmailAddress.Mask(token.Address), category.Name, via, token.NoticeId);
        return true;
    }

    /// <summary>A link's undo, saved; idempotent (true: it changed something).</summary>
    public async Task<bool> ResubscribeAsync(UnsubscribeToken token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        if ((await StageResubscribeAsync(token.Address, token.Category, cancellationToken)).Count == 0)
        {
            return false;
        }

        await db.SaveChangesAsync(cancellationToken);
        LogResubscribed(EmailAddress.Mask(token.Address), token.Category, token.NoticeId);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Address} unsubscribed from {Category} ({Via}, link of notice {NoticeId})")]
    private partial void LogUnsubscribed(string address, string category, string via, long noticeId);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Address} subscribed again to {Category} (link of notice {NoticeId})")]
    private partial void LogResubscribed(string address, string category, long noticeId);
}
