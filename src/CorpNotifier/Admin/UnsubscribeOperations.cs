using System.Data.Common;
using System.Text.Json;
using CorpNotifier.Hosting;
using CorpNotifier.Notices;
using CorpNotifier.Persistence;
using CorpNotifier.Rules;
using CorpNotifier.Unsubscribes;
using Microsoft.EntityFrameworkCore;

namespace CorpNotifier.Admin;

/// <summary>An address unsubscribed from an optional category, as operators see it.</summary>
public sealed record UnsubscribeView(long Id, string Address, string Category, DateTimeOffset UnsubscribedAt, string Via, string? ClientId, long? NoticeId, string? Kind, string? Actor)
{
    public static UnsubscribeView From(Unsubscribe row) =>
        new(row.Id, row.Address, row.Category, row.UnsubscribedAt, row.Via, row.ClientId, row.NoticeId, row.Kind, row.Actor);
}

/// <summary>An operator's change: unsubscribe (<c>PUT</c>) or subscribe again (<c>DELETE</c>) an address from an optional category.</summary>
public sealed record UnsubscribeChange(string? Address, string? Category, string? ClientId, string? Reason);

public abstract record UnsubscribeResult
{
    /// <summary>Done; <paramref name="Changed"/> false when it was so already (idempotent).</summary>
    public sealed record Done(bool Changed, UnsubscribeView? Unsubscribe) : UnsubscribeResult;

    public sealed record Invalid(IReadOnlyList<FieldError> Errors) : UnsubscribeResult
    {
        public IReadOnlyDictionary<string, string[]> ByKey => FieldError.ByKey(Errors);
    }

    public sealed record Forbidden(string Message) : UnsubscribeResult;

    public sealed record NotSaved(string Message) : UnsubscribeResult;
}

public static class UnsubscribeAudit
{
    public const string Unsubscribe = "unsubscribe.set";
    public const string Resubscribe = "unsubscribe.unset";
    public const string Target = "unsubscribe";
}

/// <summary>
/// Operators' reading and editing of unsubscribes, for the admin API and the console alike: viewers
/// read, admins change, each change audited in the same transaction (target <c>unsubscribe</c>, id
/// <c>{masked address} {category}</c>; the address itself is in the record's state).
/// </summary>
public sealed partial class UnsubscribeOperations(NoticesDbContext db, Preferences preferences, TimeProvider time, ILogger<UnsubscribeOperations> logger)
{
    public const string AdminsOnly = "Only admins may change unsubscribes.";

    public const int MaxRows = 500;

    public async Task<IReadOnlyList<UnsubscribeView>> ListAsync(string? address, string? clientId, CancellationToken cancellationToken) =>
        [.. (await preferences.ListAsync(address, clientId, MaxRows, cancellationToken)).Select(UnsubscribeView.From)];

    public Task<UnsubscribeResult> UnsubscribeAsync(UnsubscribeChange change, Actor actor, CancellationToken cancellationToken) =>
        ChangeAsync(change, actor, unsubscribe: true, cancellationToken);

    public Task<UnsubscribeResult> ResubscribeAsync(UnsubscribeChange change, Actor actor, CancellationToken cancellationToken) =>
        ChangeAsync(change, actor, unsubscribe: false, cancellationToken);

    private async Task<UnsubscribeResult> ChangeAsync(UnsubscribeChange change, Actor actor, bool unsubscribe, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(actor);
        var action = unsubscribe ? UnsubscribeAudit.Unsubscribe : UnsubscribeAudit.Resubscribe;
        if (!actor.MayAdminister)
        {
            LogRefused(action, actor.Name, actor.Role);
            return new UnsubscribeResult.Forbidden(AdminsOnly);
        }

        var errors = new List<FieldError>();
        if (!EmailAddress.IsValid(change.Address?.Trim()))
        {
            errors.Add(new("address", "is not an email address (name@example.com)", "не адрес электронной почты (name@example.com)"));
        }

        var category = NoticeCategory.Named(change.Category);
        if (category is not { Mandatory: false })
        {
            var optional = string.Join(", ", NoticeCategory.Optional.Select(c => c.Name));
            errors.Add(category is null
                ? new("category", $"'{change.Category}' is not a category; optional ones are {optional}", $"«{change.Category}» — не категория; необязательные: {optional}")
                : new("category", $"{category.Name} is mandatory: nobody is unsubscribed from it; optional ones are {optional}", $"{category.Name} — обязательная категория, от неё не отписывают; необязательные: {optional}"));
        }

        if (errors.Count > 0)
        {
            return new UnsubscribeResult.Invalid(errors);
        }

        var address = Preferences.Normalize(change.Address!);
        UnsubscribeView? before;
        UnsubscribeView? after;
        if (unsubscribe)
        {
            before = (await preferences.ListAsync(address, null, MaxRows, cancellationToken)).Where(u => u.Category == category!.Name).Select(UnsubscribeView.From).FirstOrDefault();
            var row = await preferences.StageUnsubscribeAsync(address, category!, UnsubscribeVia.Operator, NullIfBlank(change.ClientId), null, null, actor.Name, cancellationToken);
            if (row is null)
            {
                return new UnsubscribeResult.Done(false, before);
            }

            after = UnsubscribeView.From(row);
        }
        else
        {
            var removed = await preferences.StageResubscribeAsync(address, category!.Name, cancellationToken);
            if (removed.Count == 0)
            {
                return new UnsubscribeResult.Done(false, null);
            }

            before = UnsubscribeView.From(removed[0]);
            after = null;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            db.Audit.Add(new AuditRecord
            {
                At = time.GetUtcNow(),
                Actor = actor.Name,
                Role = actor.Role,
                Action = action,
                TargetType = UnsubscribeAudit.Target,
                TargetId = $"{EmailAddress.Mask(address)} {category!.Name}",
                Before = before is null ? null : JsonSerializer.Serialize(before, AppJson.Options),
                After = JsonSerializer.Serialize(new { unsubscribe = after, address, category = category.Name, reason = NullIfBlank(change.Reason) }, AppJson.Options),
            });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolationOn(UnsubscribeTables.Table))
        {
            // Unsubscribed meanwhile by the link: so it is.
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return new UnsubscribeResult.Done(false, null);
        }
        catch (Exception e) when (e is DbUpdateException or DbException && !DatabaseFaults.IsUnavailable(e))
        {
            db.ChangeTracker.Clear();
            LogNotSaved(e, action, actor.Name);
            return new UnsubscribeResult.NotSaved(NoticeOperations.NotSaved);
        }

        LogChanged(action, actor.Name, EmailAddress.Mask(address), category.Name);
        return new UnsubscribeResult.Done(true, after);
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Action} refused: {Actor} ({Role}) may not change unsubscribes")]
    private partial void LogRefused(string action, string actor, string role);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Action} by {Actor}: {Address} {Category}")]
    private partial void LogChanged(string action, string actor, string address, string category);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Action} by {Actor} was not saved")]
    private partial void LogNotSaved(Exception exception, string action, string actor);
}
