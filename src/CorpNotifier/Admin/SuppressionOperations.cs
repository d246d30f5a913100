using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using CorpNotifier.Hosting;
using CorpNotifier.Notices;
using CorpNotifier.Persistence;
using CorpNotifier.Suppressions;
using Microsoft.EntityFrameworkCore;

namespace CorpNotifier.Admin;

/// <summary>The audit's words for the list's changes.</summary>
public static class SuppressionAudit
{
    public const string Add = "suppression.add";
    public const string Remove = "suppression.remove";
    public const string Target = "suppression";
}

/// <summary>The outcome of an admin's change to the list.</summary>
public abstract record SuppressionResult
{
    public sealed record Done(SuppressionView Entry) : SuppressionResult;

    public sealed record Forbidden(string Message) : SuppressionResult;

    public sealed record Invalid(IReadOnlyList<FieldError> Errors) : SuppressionResult
    {
        public IReadOnlyDictionary<string, string[]> ByKey => FieldError.ByKey(Errors);
    }

    /// <summary>The address is on the list already: <see cref="Existing"/> says since when and why.</summary>
    public sealed record Duplicate(SuppressionView Existing) : SuppressionResult;

    public sealed record NotFound(long Id) : SuppressionResult;

    public sealed record NotSaved(string Message) : SuppressionResult;
}

/// <summary>
/// An admin's additions to and removals from the list, for the API and the console alike: who may
/// (admins), by which rules, and the audit record in the same transaction as the change. An address
/// already on the list is refused as a duplicate (the entry it has says why and since when; remove
/// it first to change that).
/// </summary>
public sealed partial class SuppressionOperations(
    NoticesDbContext db,
    AddressHasher hasher,
    TimeProvider time,
    ILogger<SuppressionOperations> logger)
{
    public const string AdminsOnly = "Only admins may add or remove suppressions.";
    public const int MaxNote = 1000;

    public async Task<SuppressionResult> AddAsync(SuppressionBody body, Actor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.MayAdminister)
        {
            LogRefused(SuppressionAudit.Add, actor.Name, actor.Role);
            return new SuppressionResult.Forbidden(AdminsOnly);
        }

        var errors = new List<FieldError>();
        var address = body.Address?.Trim();
        if (!EmailAddress.IsValid(address))
        {
            errors.Add(new("address", "is not an email address (name@example.com)", "не адрес электронной почты (name@example.com)"));
        }
        else if (address!.Length > 320)
        {
            errors.Add(new("address", "is longer than 320 characters", "длиннее 320 символов"));
        }

        var note = string.IsNullOrWhiteSpace(body.Note) ? null : body.Note.Trim();
        if (note is null)
        {
            errors.Add(new("note", "is required: say why the address is suppressed", "обязательно: укажите, почему адрес заблокирован"));
        }
        else if (note.Length > MaxNote)
        {
            errors.Add(new("note", $"is longer than {MaxNote} characters", $"длиннее {MaxNote} символов"));
        }

        var clientId = string.IsNullOrWhiteSpace(body.ClientId) ? null : body.ClientId.Trim();
        if (clientId is { Length: > 128 })
        {
            errors.Add(new("clientId", "is longer than 128 characters", "длиннее 128 символов"));
        }

        if (errors.Count > 0)
        {
            return new SuppressionResult.Invalid(errors);
        }

        var hash = hasher.Hash(address!);
        if (await ExistingAsync(hash, cancellationToken) is { } existing)
        {
            return new SuppressionResult.Duplicate(existing);
        }

        var entry = new SuppressionRecord
        {
            Address = AddressHasher.Normalise(address!),
            AddressHash = hash,
            Reason = SuppressionReasons.Operator,
            Note = note,
            ClientId = clientId,
            CreatedAt = time.GetUtcNow(),
            CreatedBy = actor.Name,
        };
        db.Suppressions.Add(entry);
        try
        {
            await SaveWithAuditAsync(SuppressionAudit.Add, actor, before: null, after: entry, cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolationOn(SuppressionRecordConfiguration.Table))
        {
            // Added meanwhile (a bounce, another admin): the entry there is the answer.
            db.ChangeTracker.Clear();
            return await ExistingAsync(hash, cancellationToken) is { } now ? new SuppressionResult.Duplicate(now) : new SuppressionResult.NotSaved(NoticeOperations.NotSaved);
        }
        catch (Exception ex) when (ex is DbUpdateException or DbException && !DatabaseFaults.IsUnavailable(ex))
        {
            db.ChangeTracker.Clear();
            LogNotSaved(ex, SuppressionAudit.Add, actor.Name);
            return new SuppressionResult.NotSaved(NoticeOperations.NotSaved);
        }

        LogAdded(entry.Id, EmailAddress.Mask(entry.Address!), actor.Name);
        return new SuppressionResult.Done(SuppressionView.From(entry));
    }

    public async Task<SuppressionResult> RemoveAsync(long id, Actor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.MayAdminister)
        {
            LogRefused(SuppressionAudit.Remove, actor.Name, actor.Role);
            return new SuppressionResult.Forbidden(AdminsOnly);
        }

        var entry = await db.Suppressions.FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (entry is null)
        {
            return new SuppressionResult.NotFound(id);
        }

        var view = SuppressionView.From(entry);
        db.Suppressions.Remove(entry);

        // The address may bounce again from scratch: its old soft bounces no longer count.
        db.SoftBounces.RemoveRange(await db.SoftBounces.Where(b => b.AddressHash == entry.AddressHash).ToListAsync(cancellationToken));
        try
        {
            await SaveWithAuditAsync(SuppressionAudit.Remove, actor, before: entry, after: null, cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return new SuppressionResult.NotFound(id);
        }
        catch (Exception ex) when (ex is DbUpdateException or DbException && !DatabaseFaults.IsUnavailable(ex))
        {
            db.ChangeTracker.Clear();
            LogNotSaved(ex, SuppressionAudit.Remove, actor.Name);
            return new SuppressionResult.NotSaved(NoticeOperations.NotSaved);
        }

        LogRemoved(id, entry.Address is null ? "an erased address" : EmailAddress.Mask(entry.Address), actor.Name);
        return new SuppressionResult.Done(view);
    }

    private async Task<SuppressionView?> ExistingAsync(string hash, CancellationToken cancellationToken) =>
        await db.Suppressions.AsNoTracking().FirstOrDefaultAsync(s => s.AddressHash == hash, cancellationToken) is { } entry ? SuppressionView.From(entry) : null;

    /// <summary>The change and its audit record: one transaction, all or nothing.</summary>
    private async Task SaveWithAuditAsync(string action, Actor actor, SuppressionRecord? before, SuppressionRecord? after, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (after is not null)
        {
            // The entry's id is the audit's target: saved first, inside the transaction.
            await db.SaveChangesAsync(cancellationToken);
        }

        var target = (after ?? before)!;
        db.Audit.Add(new AuditRecord
        {
            At = time.GetUtcNow(),
            Actor = actor.Name,
            Role = actor.Role,
            Action = action,
            TargetType = SuppressionAudit.Target,
            TargetId = target.Id.ToString(CultureInfo.InvariantCulture),
            Before = before is null ? null : JsonSerializer.Serialize(SuppressionView.From(before), AppJson.Options),
            After = after is null ? null : JsonSerializer.Serialize(SuppressionView.From(after), AppJson.Options),
        });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Action {Action} refused: {Actor} ({Role}) is not an admin")]
    private partial void LogRefused(string action, string actor, string role);

    [LoggerMessage(Level = LogLevel.Error, Message = "Action {Action} by {Actor}: the change and its audit record could not be saved")]
    private partial void LogNotSaved(Exception exception, string action, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Suppression {Id} of {Address} added by {Actor}")]
    private partial void LogAdded(long id, string address, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Suppression {Id} of {Address} removed by {Actor}")]
    private partial void LogRemoved(long id, string address, string actor);
}
