using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Nodes;
using CorpNotifier.Admin;
using CorpNotifier.Clients;
using CorpNotifier.Hosting;
using CorpNotifier.Intake;
using CorpNotifier.Notices;
using CorpNotifier.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CorpNotifier.Privacy;

/// <summary>The body of an erasure: why (kept in the audit), and whether to cancel the client's pending letters.</summary>
public sealed record ErasureRequest(string? Why, bool CancelPending = false);

/// <summary>What an erasure changed: rows per holder (<c>clients</c>, <c>events</c>, <c>notices</c>, … and every registered eraser).</summary>
public sealed record ErasureSummary(string ClientId, int Addresses, int Cancelled, IReadOnlyDictionary<string, int> Rows, DateTimeOffset At);

/// <summary>The outcome of an erasure: done, or why not.</summary>
public abstract record ErasureResult
{
    public sealed record Done(ErasureSummary Summary) : ErasureResult;

    public sealed record Forbidden(string Message) : ErasureResult;

    public sealed record Invalid(IReadOnlyList<FieldError> Errors) : ErasureResult;

    /// <summary>The client has letters waiting or being sent; nothing changed.</summary>
    public sealed record Pending(int Count, string Message) : ErasureResult;

    public sealed record NotSaved(string Message) : ErasureResult;
}

/// <summary>
/// Erases one client's personal data from what this service holds, in one transaction: the local
/// directory's name and addresses, the payloads of the client's events (ids, types, times and
/// statuses stay; parked ones are discarded), the letters' recipients, addresses sent to, arguments
/// and any reason or timeline detail that names an address or the client, the login and password
/// token of its manager requests, audit payloads that carry any of it, and whatever every registered
/// <see cref="IClientDataEraser"/> holds. Refused while the client has pending or sending letters,
/// unless told to cancel the pending ones (each is dequeued as by an operator's cancel). Admins only;
/// audited with who and why, without the erased data. Later events of the client work as before:
/// new data comes with new events.
/// </summary>
public sealed partial class ClientEraser(
    NoticesDbContext db,
    NoticeLedger ledger,
    TimeProvider time,
    IEnumerable<IClientDataEraser> erasers,
    ILogger<ClientEraser> logger)
{
    public const string Action = "client.erase";
    public const string Target = "client";
    public const string AdminsOnly = "Only admins may erase a client's data.";
    public const string Erased = "[erased]";

    /// <summary>What an erased event's payload becomes.</summary>
    public const string ErasedPayload = "{\"erased\":true}";

    private const int MaxWhy = 500;

    public async Task<ErasureResult> EraseAsync(string clientId, ErasureRequest request, Actor actor, CancellationToken cancellationToken)
    {
        if (!actor.MayAdminister)
        {
            LogRefused(actor.Name, actor.Role);
            return new ErasureResult.Forbidden(AdminsOnly);
        }

        var why = request.Why?.Trim();
        if (string.IsNullOrEmpty(why))
        {
            return new ErasureResult.Invalid([new("why", "is required: say why the client's data is erased (kept in the audit)", "обязательно: укажите, почему данные клиента удаляются (сохраняется в журнале)")]);
        }

        if (why.Length > MaxWhy)
        {
            return new ErasureResult.Invalid([new("why", $"is at most {MaxWhy} characters", $"не длиннее {MaxWhy} символов")]);
        }

        if (string.IsNullOrWhiteSpace(clientId) || clientId.Length > 128)
        {
            return new ErasureResult.Invalid([new("clientId", "is not a client id", "не идентификатор клиента")]);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            // The client's events wait for this: no new letter appears between the check and the commit.
            await ClientLock.AcquireAsync(db, clientId, cancellationToken);
            var result = await EraseInTransactionAsync(clientId, why, request.CancelPending, actor, cancellationToken);
            if (result is ErasureResult.Done done)
            {
                await transaction.CommitAsync(cancellationToken);
                LogErased(clientId, actor.Name, done.Summary.Cancelled, string.Join(", ", done.Summary.Rows.Select(r => $"{r.Key} {r.Value}")));
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
            LogNotSaved(ex, clientId, actor.Name);
            return new ErasureResult.NotSaved(Admin.NoticeOperations.NotSaved);
        }
    }

    private async Task<ErasureResult> EraseInTransactionAsync(string clientId, string why, bool cancelPending, Actor actor, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var active = await db.Notices.AsNoTracking()
            .Where(n => n.ClientId == clientId && (n.Status == NoticeStatus.Pending || n.Status == NoticeStatus.Sending))
            .ToListAsync(cancellationToken);
        var cancelled = 0;
        if (active.Count > 0)
        {
            if (!cancelPending)
            {
                return new ErasureResult.Pending(active.Count, $"Client {clientId} has {active.Count} letter(s) pending or being sent; cancel them first, or erase with cancelPending: true to cancel them.");
            }

            foreach (var notice in active.Where(n => n.Status == NoticeStatus.Pending))
            {
                if (await ledger.CancelAsync(notice, actor.Name, cancellationToken))
                {
                    cancelled++;
                }
            }

            if (cancelled < active.Count)
            {
                var sending = active.Count - cancelled;
                return new ErasureResult.Pending(sending, $"Client {clientId} has {sending} letter(s) being sent right now; try again in a minute.");
            }

            // The cancels' timeline entries go in now, so the scrub below sees them.
            await db.SaveChangesAsync(cancellationToken);
        }

        var rows = new Dictionary<string, int>(StringComparer.Ordinal);
        var client = await db.Clients.FirstOrDefaultAsync(c => c.ClientId == clientId, cancellationToken);
        var name = client?.Name;
        var addresses = await AddressesAsync(clientId, client, cancellationToken);
        var scrub = new Scrubber(addresses, name);

        // The directory: the client stays known (its contracts and thresholds are not personal data),
        // so its later events are processed as before; its name and addresses are gone until a new
        // profile comes.
        if (client is not null)
        {
            client.Name = null;
            client.Emails = [];
            client.UpdatedAt = now;
            rows["clients"] = 1;
        }

        rows["manager_requests"] = await db.ManagerRequests
            .Where(r => r.ClientId == clientId)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.ClientLogin, Erased).SetProperty(r => r.EncryptedPassword, (string?)null).SetProperty(r => r.UpdatedAt, now), cancellationToken);

        // Parked events of the client are discarded: what they carried is gone, so they could not run.
        await db.Events
            .Where(e => e.ClientId == clientId && (e.Status == EventStatus.Waiting || e.Status == EventStatus.Expired))
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Status, EventStatus.Discarded).SetProperty(e => e.Outcome, "discarded: the client's data was erased"), cancellationToken);
        rows["events"] = await db.Events
            .Where(e => e.ClientId == clientId)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Payload, ErasedPayload).SetProperty(e => e.ParkedPayload, (string?)null), cancellationToken);

        rows["notices"] = await EraseLettersAsync(clientId, scrub, now, cancellationToken);
        rows["audit_log"] = await EraseAuditAsync(clientId, scrub, cancellationToken);

        var erasure = new ClientErasure(clientId, addresses, actor.Name, why, now);
        foreach (var eraser in erasers)
        {
            rows[eraser.Name] = await eraser.EraseAsync(erasure, cancellationToken);
        }

        var summary = new ErasureSummary(clientId, addresses.Count, cancelled, rows, now);
        db.Audit.Add(new AuditRecord
        {
            At = now,
            Actor = actor.Name,
            Role = actor.Role,
            Action = Action,
            TargetType = Target,
            TargetId = clientId,
            // Who and why; never what was erased (the reason is scrubbed too, should it quote an address).
            After = JsonSerializer.Serialize(new { why = scrub.Text(why), cancelPending, summary.Cancelled, summary.Addresses, summary.Rows }, AppJson.Options),
        });
        await db.SaveChangesAsync(cancellationToken);
        return new ErasureResult.Done(summary);
    }

    /// <summary>
    /// Every address known to have been the client's: the directory's, every profile event's, and the
    /// letters' recipients except the staff's extra recipients of the settings.
    /// </summary>
    private async Task<IReadOnlyCollection<string>> AddressesAsync(string clientId, ClientRecord? client, CancellationToken cancellationToken)
    {
        var addresses = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        addresses.UnionWith(client?.Emails ?? []);

        var payloads = await db.Events.AsNoTracking()
            .Where(e => e.ClientId == clientId && e.Type == nameof(Contracts.ClientProfileChanged))
            .Select(e => new { e.Payload, e.ParkedPayload })
            .ToListAsync(cancellationToken);
        foreach (var json in payloads.SelectMany(p => new[] { p.Payload, p.ParkedPayload }).OfType<string>())
        {
            CollectAddresses(JsonNode.Parse(json), addresses);
        }

        var staff = (await db.NoticeSettings.AsNoTracking().ToListAsync(cancellationToken))
            .SelectMany(s => s.ExtraRecipients.SelectMany(r => r.Addresses))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var sent = await db.Notices.AsNoTracking()
            .Where(n => n.ClientId == clientId)
            .Select(n => new { n.Recipients, n.SentTo })
            .ToListAsync(cancellationToken);
        addresses.UnionWith(sent.SelectMany(n => n.Recipients.Concat(n.SentTo)).Where(a => !staff.Contains(a)));
        return addresses;
    }

    private static void CollectAddresses(JsonNode? node, HashSet<string> addresses)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, value) in obj)
                {
                    CollectAddresses(value, addresses);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    CollectAddresses(item, addresses);
                }

                break;
            case JsonValue value when value.TryGetValue<string>(out var text) && EmailAddress.IsValid(text):
                addresses.Add(text);
                break;
        }
    }

    private async Task<int> EraseLettersAsync(string clientId, Scrubber scrub, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var letters = await db.Notices
            .Where(n => n.ClientId == clientId)
            .ExecuteUpdateAsync(
                s => s.SetProperty(n => n.Recipients, new List<string>())
                    .SetProperty(n => n.SentTo, new List<string>())
                    .SetProperty(n => n.Args, new JsonObject())
                    .SetProperty(n => n.UpdatedAt, now),
                cancellationToken);

        // Reasons and timeline details mask addresses when written, but a mailer's answer or a
        // cancel's words may quote one (or the client's name): those are rewritten.
        var reasons = await db.Notices.Where(n => n.ClientId == clientId && n.Reason != null).ToListAsync(cancellationToken);
        foreach (var notice in reasons)
        {
            notice.Reason = scrub.Text(notice.Reason);
        }

        var ids = db.Notices.Where(n => n.ClientId == clientId).Select(n => n.Id);
        var steps = await db.Timeline.Where(t => ids.Contains(t.NoticeId) && t.Detail != null).ToListAsync(cancellationToken);
        foreach (var step in steps)
        {
            step.Detail = scrub.Text(step.Detail);
        }

        await db.SaveChangesAsync(cancellationToken);
        return letters;
    }

    /// <summary>
    /// Audit records about the client's letters and events, and any other whose payload quotes one of
    /// its addresses: their JSON keeps its shape, with the arguments, recipients and every string
    /// naming an address or the client replaced.
    /// </summary>
    private async Task<int> EraseAuditAsync(string clientId, Scrubber scrub, CancellationToken cancellationToken)
    {
        var noticeIds = await db.Notices.Where(n => n.ClientId == clientId)
            .Select(n => n.Id).ToListAsync(cancellationToken);
        var eventIds = await db.Events.Where(e => e.ClientId == clientId).Select(e => e.EventId).ToListAsync(cancellationToken);
        var noticeTargets = noticeIds.Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();

        var ids = new HashSet<long>(await db.Audit
            .Where(a => (a.TargetType == AuditTargets.Notice && noticeTargets.Contains(a.TargetId))
                || (a.TargetType == AuditTargets.Event && eventIds.Contains(a.TargetId))
                || (a.TargetType == Target && a.TargetId == clientId && a.Action != Action))
            .Select(a => a.Id)
            .ToListAsync(cancellationToken));
        foreach (var pattern in scrub.Needles.Select(n => $"%{n.ToLowerInvariant()}%"))
        {
            var found = db.Database.IsNpgsql()
                ? db.Database.SqlQuery<long>($"SELECT id AS \"Value\" FROM audit_log WHERE lower(before::text) LIKE {pattern} OR lower(after::text) LIKE {pattern}")
                : db.Database.SqlQuery<long>($"SELECT id AS \"Value\" FROM audit_log WHERE lower(before) LIKE {pattern} OR lower(after) LIKE {pattern}");
            ids.UnionWith(await found.ToListAsync(cancellationToken));
        }

        var records = await db.Audit.Where(a => ids.Contains(a.Id)).ToListAsync(cancellationToken);
        foreach (var record in records)
        {
            record.Before = scrub.Json(record.Before);
            record.After = scrub.Json(record.After);
        }

        await db.SaveChangesAsync(cancellationToken);
        return records.Count;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Erasing client data refused to {Actor} ({Role})")]
    private partial void LogRefused(string actor, string role);

    [LoggerMessage(Level = LogLevel.Information, Message = "Client {ClientId} erased by {Actor}: {Cancelled} pending letter(s) cancelled; rows {Rows}")]
    private partial void LogErased(string clientId, string actor, int cancelled, string rows);

    [LoggerMessage(Level = LogLevel.Error, Message = "Erasing client {ClientId} by {Actor} was not saved: everything was rolled back")]
    private partial void LogNotSaved(Exception exception, string clientId, string actor);

    /// <summary>Replaces a client's addresses and name in texts and JSON, case-insensitively.</summary>
    private sealed class Scrubber(IReadOnlyCollection<string> addresses, string? name)
    {
        /// <summary>Property names whose whole value is the client's data in a stored letter or event.</summary>
        private static readonly HashSet<string> Personal = new(StringComparer.OrdinalIgnoreCase) { "args", "recipients", "sentTo", "emails", "payload", "parkedPayload" };

        /// <summary>What is looked for: the addresses, and the name when it is long enough to mean something.</summary>
        public IReadOnlyList<string> Needles { get; } = addresses
            .Concat(name is { Length: >= 3 } ? [name] : [])
            .Where(n => !string.IsNullOrWhiteSpace(n))
            .OrderByDescending(n => n.Length)
            .ToList();

        public string? Text(string? text)
        {
            if (text is null)
            {
                return null;
            }

            foreach (var needle in Needles)
            {
                text = text.Replace(needle, Erased, StringComparison.OrdinalIgnoreCase);
            }

            return text;
        }

        public string? Json(string? json)
        {
            if (json is null)
            {
                return null;
            }

            JsonNode? node;
            try
            {
                node = JsonNode.Parse(json);
            }
            catch (JsonException)
            {
                return Text(json);
            }

            return Walk(node)?.ToJsonString(AppJson.Options);
        }

        private JsonNode? Walk(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject obj:
                    var copy = new JsonObject();
                    foreach (var (key, value) in obj)
                    {
                        copy[key] = Personal.Contains(key) ? Emptied(value) : Walk(value);
                    }

                    return copy;
                case JsonArray array:
                    return new JsonArray(array.Select(Walk).ToArray());
                case JsonValue value when value.TryGetValue<string>(out var text):
                    return JsonValue.Create(Text(text));
                default:
                    return node?.DeepClone();
            }
        }

        private static JsonNode? Emptied(JsonNode? node) => node switch
        {
            JsonObject => new JsonObject(),
            JsonArray => new JsonArray(),
            null => null,
            _ => JsonValue.Create(Erased),
        };
    }
}
