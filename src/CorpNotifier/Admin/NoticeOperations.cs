using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Nodes;
using CorpNotifier.Dispatch;
using CorpNotifier.Hosting;
using CorpNotifier.Notices;
using CorpNotifier.Persistence;
using CorpNotifier.Rules;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CorpNotifier.Admin;

/// <summary>The body of a manual send.</summary>
public sealed record ManualSendRequest(string? Kind, string? ContractId, JsonObject? Args, DateTimeOffset? SendAt);

/// <summary>
/// What operators do to notices — cancel (the notice ends <c>dequeued</c>, by the operator),
/// restore, re-send, manual send — for the admin API and the console alike: who may, what is
/// refused and with which message are decided here only. Each is guarded by a conditional update
/// or a unique index rather than a read-then-write check, each is audited, and each new notice goes
/// out through the one send path with its checks.
/// </summary>
public sealed partial class NoticeOperations(
    NoticesDbContext db,
    NoticeLedger ledger,
    NoticeCatalog catalog,
    TimeProvider time,
    LocalDispatcher dispatcher,
    IOptions<DispatchOptions> dispatch,
    ILogger<NoticeOperations> logger)
{
    public const string OperatorsOnly = "Only operators and admins may cancel, restore, re-send or send notices.";

    public const string NotSaved =
        "Nothing was changed: an action and its audit record are committed together, and they could not be. Try again; the service's log says why.";

    public static string NoSuchNotice(long id) => $"There is no notice {id}.";

    public async Task<OperationResult> CancelAsync(long id, Actor actor, CancellationToken cancellationToken)
    {
        if (Refused(actor, AuditActions.Cancel) is { } refused)
        {
            return refused;
        }

        var before = await db.Notices.AsNoTracking().FirstOrDefaultAsync(n => n.Id == id, cancellationToken);
        if (before is null)
        {
            return new OperationResult.NotFound(NoSuchNotice(id));
        }

        return await CommittedAsync(AuditActions.Cancel, actor, async () =>
        {
            if (!await ledger.CancelAsync(before, actor.Name, cancellationToken))
            {
                var status = await db.Notices.Where(n => n.Id == id).Select(n => n.Status).FirstAsync(cancellationToken);
                return status == NoticeStatus.Sending
                    ? new OperationResult.Conflict(Refusal.BeingSent, $"Notice {id} is being sent right now and can no longer be cancelled.")
                    : new OperationResult.Conflict(Refusal.NotPending, $"Notice {id} is {WireName.Of(status)}; only a pending notice can be cancelled.");
            }

            return await AuditedAsync(id, actor, AuditActions.Cancel, before, cancellationToken);
        }, cancellationToken);
    }

    public async Task<OperationResult> RestoreAsync(long id, Actor actor, CancellationToken cancellationToken)
    {
        if (Refused(actor, AuditActions.Restore) is { } refused)
        {
            return refused;
        }

        var before = await db.Notices.AsNoTracking().FirstOrDefaultAsync(n => n.Id == id, cancellationToken);
        if (before is null)
        {
            return new OperationResult.NotFound(NoSuchNotice(id));
        }

        return await CommittedAsync(AuditActions.Restore, actor, async () =>
        {
            if (!await ledger.RestoreAsync(before, actor.Name, cancellationToken))
            {
                return before switch
                {
                    { Status: not NoticeStatus.Dequeued } => new OperationResult.Conflict(Refusal.NotCancelled, $"Notice {id} is {WireName.Of(before.Status)}; only a notice an operator cancelled can be restored."),
                    { DequeuedBy: null } => new OperationResult.Conflict(Refusal.DequeuedByEvent, $"Notice {id} was dequeued by event {before.DequeuedByEventId}, not by an operator; it stays dequeued."),
                    _ => new OperationResult.Conflict(Refusal.PastDue, $"Notice {id} was due at {before.SendAt:O}, which has passed; send a new one instead."),
                };
            }

            return await AuditedAsync(id, actor, AuditActions.Restore, before, cancellationToken);
        }, cancellationToken);
    }

    public async Task<OperationResult> ResendAsync(long id, Actor actor, CancellationToken cancellationToken)
    {
        if (Refused(actor, AuditActions.Resend) is { } refused)
        {
            return refused;
        }

        var original = await db.Notices.AsNoTracking().FirstOrDefaultAsync(n => n.Id == id, cancellationToken);
        if (original is null)
        {
            return new OperationResult.NotFound(NoSuchNotice(id));
        }

        if (original.Status is NoticeStatus.Pending or NoticeStatus.Sending)
        {
            return new OperationResult.Conflict(Refusal.NotSentYet, $"Notice {id} has not been sent yet ({WireName.Of(original.Status)}); there is nothing to re-send.");
        }

        var secrets = catalog.Find(original.Kind)?.SecretArguments ?? new HashSet<string>();
        if (secrets.Any(s => original.Args[s]?.ToString() == Hosting.Secret.Masked))
        {
            return new OperationResult.Conflict(Refusal.SecretGone, $"Notice {id} carried a secret ({string.Join(", ", secrets)}) that is no longer stored; send a new notice with a manual send instead.");
        }

        var draft = new NoticeDraft(original.ClientId, original.ContractId, original.Kind, NoticeOrigin.Resend, time.GetUtcNow(), original.Args, actor.Name, $"resend of {id} by {actor.Name}")
        {
            ResendOfId = id,
        };
        return await CreateAsync(draft, actor, AuditActions.Resend, before: original, cancellationToken,
            onDuplicate: $"A re-send of notice {id} is already under way.");
    }

    public async Task<OperationResult> ManualSendAsync(string clientId, ManualSendRequest request, string? idempotencyKey, Actor actor, CancellationToken cancellationToken)
    {
        if (Refused(actor, AuditActions.ManualSend) is { } refused)
        {
            return refused;
        }

        var errors = new List<FieldError>();
        var rule = request.Kind is null ? null : catalog.Find(request.Kind);
        if (rule is null)
        {
            errors.Add(request.Kind is null
                ? new("kind", "is required", "обязателен")
                : new("kind", $"unknown notice kind '{request.Kind}'; known kinds are {string.Join(", ", catalog.Kinds)}", $"неизвестный вид уведомления «{request.Kind}»; известные виды: {string.Join(", ", catalog.Kinds)}"));
            return new OperationResult.Invalid(errors);
        }

        var args = request.Args ?? [];
        foreach (var name in rule.RequiredArguments.Where(a => a is not "contract_id"))
        {
            if (args[name] is null)
            {
                errors.Add(new($"args.{name}", "is required", "обязателен"));
            }
        }

        foreach (var (name, value) in args)
        {
            if (!rule.Arguments.Contains(name))
            {
                errors.Add(new($"args.{name}", $"is not an argument of {rule.Kind}; its arguments are {string.Join(", ", rule.Arguments)}", $"не аргумент {rule.Kind}; его аргументы: {string.Join(", ", rule.Arguments)}"));
            }
            else if (value is not JsonValue)
            {
                errors.Add(new($"args.{name}", "must be a string, a number or a boolean", "должен быть строкой, числом или логическим значением"));
            }
        }

        if (rule.RequiredArguments.Contains("contract_id") && string.IsNullOrWhiteSpace(request.ContractId) && args["contract_id"] is null)
        {
            errors.Add(new("contractId", $"is required for {rule.Kind}", $"обязателен для {rule.Kind}"));
        }

        if (idempotencyKey is { Length: > 128 })
        {
            errors.Add(new("Idempotency-Key", "must be at most 128 characters", "не длиннее 128 символов"));
        }

        if (errors.Count > 0)
        {
            return new OperationResult.Invalid(errors);
        }

        var contractId = request.ContractId ?? args["contract_id"]?.ToString();
        if (contractId is not null && rule.Arguments.Contains("contract_id"))
        {
            args["contract_id"] = contractId;
        }

        var draft = new NoticeDraft(clientId, contractId, rule.Kind, NoticeOrigin.Manual, request.SendAt ?? time.GetUtcNow(), args, actor.Name, $"manual by {actor.Name}")
        {
            UniqueKey = idempotencyKey is null ? null : $"manual:{clientId}:{idempotencyKey}",
        };
        var result = await CreateAsync(draft, actor, AuditActions.ManualSend, before: null, cancellationToken, onDuplicate: null);
        if (result is OperationResult.Conflict && draft.UniqueKey is not null)
        {
            // The same request again: answer with the notice it created the first time.
            var existing = await db.Notices.AsNoTracking().FirstAsync(n => n.UniqueKey == draft.UniqueKey, cancellationToken);
            return new OperationResult.Done(NoticeView.From(existing));
        }

        return result;
    }

    /// <summary>
    /// A new notice and its audit record, committed together; only then is a notice due now handed
    /// to the send path, so nothing is sent for a notice that was not kept.
    /// </summary>
    private async Task<OperationResult> CreateAsync(NoticeDraft draft, Actor actor, string action, Notice? before, CancellationToken cancellationToken, string? onDuplicate)
    {
        Notice? created = null;
        var result = await CommittedAsync(action, actor, async () =>
        {
            var notice = ledger.Create(draft, time.GetUtcNow(), dispatch.Value.RequeueAfter);
            try
            {
                // Saved first on its own: the audit record names the notice's id.
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException ex) when (ex.IsUniqueViolation())
            {
                return new OperationResult.Conflict(Refusal.ResendUnderWay, onDuplicate ?? "The same request was made before.");
            }

            db.Audit.Add(Audit(actor, action, notice.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), before, notice));
            await db.SaveChangesAsync(cancellationToken);
            created = notice;
            return new OperationResult.Done(NoticeView.From(notice), Created: true);
        }, cancellationToken);

        if (result is OperationResult.Done && created is not null)
        {
            await FastPath.DispatchAsync(dispatcher, [created], logger, cancellationToken);
        }

        return result;
    }

    /// <summary>The audit record of a change made by id, saved with the change's timeline entry (in the caller's transaction).</summary>
    private async Task<OperationResult> AuditedAsync(long id, Actor actor, string action, Notice before, CancellationToken cancellationToken)
    {
        var after = await db.Notices.AsNoTracking().FirstAsync(n => n.Id == id, cancellationToken);
        db.Audit.Add(Audit(actor, action, id.ToString(System.Globalization.CultureInfo.InvariantCulture), before, after));
        await db.SaveChangesAsync(cancellationToken);
        return new OperationResult.Done(NoticeView.From(after));
    }

    /// <summary>
    /// An action's change and its audit record in one transaction: committed together when the
    /// action is done, rolled back when it is refused on the way, and rolled back when either write
    /// fails — then the caller hears <see cref="OperationResult.NotSaved"/> and nothing changed. (A
    /// database that is down is not caught here: the request is answered 503 as every other.)
    /// </summary>
    private async Task<OperationResult> CommittedAsync(string action, Actor actor, Func<Task<OperationResult>> change, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            var result = await change();
            if (result is OperationResult.Done)
            {
                await transaction.CommitAsync(cancellationToken);
            }
            else
            {
                await transaction.RollbackAsync(cancellationToken);
                db.ChangeTracker.Clear();
            }

            return result;
        }
        catch (Exception ex) when (ex is DbUpdateException or DbException && !DatabaseFaults.IsUnavailable(ex))
        {
            db.ChangeTracker.Clear();
            LogNotSaved(ex, action, actor.Name);
            return new OperationResult.NotSaved(NotSaved);
        }
    }

    private OperationResult.Forbidden? Refused(Actor actor, string action)
    {
        if (actor.MayOperate)
        {
            return null;
        }

        LogRefused(action, actor.Name, actor.Role);
        return new OperationResult.Forbidden(OperatorsOnly);
    }

    private AuditRecord Audit(Actor actor, string action, string targetId, Notice? before, Notice after) => new()
    {
        At = time.GetUtcNow(),
        Actor = actor.Name,
        Role = actor.Role,
        Action = action,
        TargetType = "notice",
        TargetId = targetId,
        Before = before is null ? null : JsonSerializer.Serialize(NoticeView.From(before), AppJson.Options),
        After = JsonSerializer.Serialize(NoticeView.From(after), AppJson.Options),
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Action {Action} refused to {Actor} ({Role})")]
    private partial void LogRefused(string action, string actor, string role);

    [LoggerMessage(Level = LogLevel.Error, Message = "Action {Action} by {Actor} was not saved: the change and its audit record were rolled back")]
    private partial void LogNotSaved(Exception exception, string action, string actor);
}
